package com.huntaze.ratelimit.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.benchmark.trivial.TrivialHandler;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunction;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunctions;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of the rate-check function, "JVM start → first answer", against a trivial handler run
 * exactly the same way: the function of template.yaml (its packaged jar unzipped as the task root, its
 * environment, memory size and so JVM flags, JAVA_TOOL_OPTIONS included) started by the local runner on the
 * Lambda Runtime Interface Client in a fresh JVM, polling a local Runtime API, answering one
 * {@code events/check-allowed.json} against a local redis-server. The trivial function is
 * {@link TrivialHandler} (same event and answer types, does nothing) in a jar of its own with the same
 * definition otherwise. One warm-up run of each (OS file cache; it also loads the check script into Redis,
 * as another execution environment would have), then runs alternate between them. Prints figures only.
 *
 * <p>Compare ratios, not milliseconds: this machine's cores are not Lambda's (1024 MB is about 0.6 of a vCPU).
 * A SnapStart restore cannot be measured here (no CRaC JVM): with SnapStart, init runs before the snapshot
 * and rate-check's priming (see RateCheckHandler#prime) warms the first request's path.
 *
 * <p>Run: {@code ./mvnw -q -Pcold-start -DskipTests verify -pl tools/benchmark -am}
 * (optionally {@code -Dcoldstart.runs=10}; {@code -Dcoldstart.javaToolOptions=...} replaces the template's
 * JAVA_TOOL_OPTIONS for every function run, an empty value removes it; {@code -Dcoldstart.compareJar=other.jar}
 * also runs the same function from another build's jar, interleaved with the others, to measure one change).
 */
public final class ColdStartBenchmark {
  static final String FUNCTION = "RateCheckFunction";
  static final String TRIVIAL = "TrivialFunction";
  static final String COMPARED = "RateCheckFunctionB";
  private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([0-9.]+) ms");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> redis;
  private final byte[] event;

  private ColdStartBenchmark(Map<String, String> redis, byte[] event) {
    this.redis = redis;
    this.event = event;
  }

  /** One cold start: from just before the JVM is started to the function's answer. */
  record Run(double totalMillis, double initMillis) {
  }

  public static void main(String[] args) {
    measure(Path.of(System.getProperty("coldstart.template", "template.yaml")).toAbsolutePath().normalize(),
        new Figures());
  }

  /** Runs the comparison and adds rate-check's median over the trivial handler's to {@code figures}. */
  static void measure(Path template, Figures figures) {
    try {
      compare(template, figures);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void compare(Path template, Figures figures) throws IOException {
    int runs = Integer.getInteger("coldstart.runs", 5);
    Path eventFile = Path.of(System.getProperty("coldstart.event",
        template.resolveSibling("events/check-allowed.json").toString()));
    FunctionDefinition rateCheck = ColdStartFunctions.withJavaToolOptions(
        SamTemplate.read(template).function(FUNCTION, Map.of()),
        System.getProperty("coldstart.javaToolOptions"));
    Path work = Files.createTempDirectory("cold-start");
    FunctionDefinition trivial = ColdStartFunctions.trivialLike(rateCheck,
        ColdStartFunctions.writeTrivialJar(work.resolve("trivial-function.jar")));

    List<FunctionDefinition> functions = new ArrayList<>(List.of(rateCheck, trivial));
    String otherJar = System.getProperty("coldstart.compareJar");
    if (otherJar != null && !otherJar.isBlank()) {   // A/B: the same function from another build, interleaved
      functions.add(1, ColdStartFunctions.withCodeUri(rateCheck, COMPARED,
          Path.of(otherJar).toAbsolutePath().normalize()));
    }

    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      Map<String, String> redis = new LinkedHashMap<>();
      redis.put("REDIS_HOST", server.host());
      redis.put("REDIS_PORT", Integer.toString(server.port()));
      redis.put("REDIS_TLS", "false");
      redis.put("REDIS_CLUSTER_MODE", "false");
      redis.put("REDIS_AUTH_MODE", "none");
      ColdStartBenchmark benchmark = new ColdStartBenchmark(redis, Files.readAllBytes(eventFile));

      System.out.printf(Locale.ROOT, "== Cold start, JVM start -> first answer: %s (%s, %d MB, JAVA_TOOL_OPTIONS=%s)%n"
              + "  vs %s, run the same way; local Java %d, %d runs each after one warm-up each, event %s%n",
          rateCheck.handler(), rateCheck.codeUri(), rateCheck.memorySizeMb(),
          rateCheck.environment().getOrDefault("JAVA_TOOL_OPTIONS", "(none)"), trivial.handler(),
          Runtime.version().feature(), runs, eventFile.getFileName());
      if (functions.size() > 2) {
        System.out.println("  and " + COMPARED + ": the same function from " + functions.get(1).codeUri());
      }
      Map<FunctionDefinition, List<Run>> results = new LinkedHashMap<>();
      for (FunctionDefinition function : functions) {
        benchmark.coldStart(function);
        results.put(function, new ArrayList<>());
      }
      for (int i = 0; i < runs; i++) {
        for (FunctionDefinition function : functions) {
          results.get(function).add(benchmark.coldStart(function));
        }
      }
      report(results, trivial);
      figures.lower("cold start, rate-check / trivial handler, median", median(totals(results.get(rateCheck)))
          / median(totals(results.get(trivial))), 1.5);
    } finally {
      Files.deleteIfExists(work.resolve("trivial-function.jar"));
      Files.deleteIfExists(work);
    }
  }

  private Run coldStart(FunctionDefinition function) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try (LocalFunctions functions = LocalFunctions.prepare(List.of(function), id -> Map.of(), redis, log, false)) {
      LocalFunction local = functions.get(function.logicalId());
      long start = System.nanoTime();
      InvocationResult result = local.invoke(event);
      long answered = System.nanoTime();
      String output = captured.toString(StandardCharsets.UTF_8);
      expectOk(function, result, output);
      Matcher init = INIT_DURATION.matcher(output);
      return new Run((answered - start) / 1e6, init.find() ? Double.parseDouble(init.group(1)) : Double.NaN);
    }
  }

  /** A run that did not answer 200 measured something else: stop, and show why. */
  private static void expectOk(FunctionDefinition function, InvocationResult result, String log) {
    int status = -1;
    try {
      JsonNode answer = JSON.readTree(result.payloadText());
      status = answer.path("statusCode").asInt(-1);
    } catch (IOException e) {
      // not JSON: reported below
    }
    if (result.functionError() || status != 200) {
      throw new IllegalStateException(function.logicalId() + " did not answer 200: " + result.payloadText()
          + "\n" + log);
    }
  }

  private static void report(Map<FunctionDefinition, List<Run>> results, FunctionDefinition trivial) {
    double[] t = totals(results.get(trivial));
    System.out.printf(Locale.ROOT, "%-22s %10s %10s %14s %8s %8s   %s%n", "", "min", "median", "init median",
        "x min", "x median", "all runs (ms)");
    results.forEach((function, runs) -> line(function.logicalId(), totals(runs), inits(runs), t));
  }

  /** A function's figures, and its min and median over the trivial function's. */
  private static void line(String name, double[] totals, double[] inits, double[] trivial) {
    StringBuilder all = new StringBuilder();
    for (double total : totals) {
      all.append(String.format(Locale.ROOT, "%.0f ", total));
    }
    System.out.printf(Locale.ROOT, "%-22s %7.0f ms %7.0f ms %11.0f ms %7.2fx %7.2fx   %s%n", name, totals[0],
        median(totals), median(inits), totals[0] / trivial[0], median(totals) / median(trivial),
        all.toString().strip());
  }

  private static double[] totals(List<Run> runs) {
    double[] values = runs.stream().mapToDouble(Run::totalMillis).toArray();
    Arrays.sort(values);
    return values;
  }

  private static double[] inits(List<Run> runs) {
    double[] values = runs.stream().mapToDouble(Run::initMillis).toArray();
    Arrays.sort(values);
    return values;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
