package com.huntaze.ratelimit.localrunner.cli;

import com.huntaze.ratelimit.localrunner.gateway.IamAuthorizer;
import com.huntaze.ratelimit.localrunner.gateway.LocalApiGateway;
import com.huntaze.ratelimit.localrunner.gateway.LocalCredentials;
import com.huntaze.ratelimit.localrunner.gateway.LocalHttpServer;
import com.huntaze.ratelimit.localrunner.gateway.RouteTable;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunction;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunctions;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.HttpRoute;
import com.huntaze.ratelimit.localrunner.template.PseudoParameters;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A Docker-free {@code sam local invoke} / {@code sam local start-api}: runs the template's functions from
 * their packaged jars on the real Lambda Runtime Interface Client, in separate JVMs that talk to a Runtime
 * API served here. See {@link CliArguments#USAGE}.
 */
public final class LocalRunner {
  static final int FUNCTION_ERROR = 1;
  static final int USAGE_OR_SETUP_ERROR = 2;

  /** curl examples for the rate limiter's routes; printed for the routes the template has. */
  private static final List<Example> EXAMPLES = List.of(
      new Example("POST", "/v1/check",
          "curl -s -X POST %s/v1/check -H 'content-type: application/json' "
              + "-d '{\"creatorId\":\"creator-123\",\"tier\":\"pro\",\"tokens\":500}'"),
      new Example("GET", "/v1/limits/creator-123", "curl -s '%s/v1/limits/creator-123?tier=pro'"),
      new Example("DELETE", "/v1/limits/creator-123", "curl -s -X DELETE %s/v1/limits/creator-123"),
      new Example("GET", "/test-redis", "curl -s %s/test-redis"));

  private record Example(String method, String path, String curl) {
  }

  private LocalRunner() {
  }

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.in, System.out, System.err, System.getenv()));
  }

  /** Runs a command; start-api returns only when the JVM shuts down. */
  static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err,
      Map<String, String> runnerEnvironment) {
    try {
      CliArguments cli = CliArguments.parse(args);
      if (cli.isHelp()) {
        out.println(CliArguments.USAGE);
        out.flush();
        return 0;
      }
      if (cli.command().equals(CliArguments.INVOKE)) {
        return InvokeCommand.run(cli, stdin, out, err, runnerEnvironment);
      }
      startApi(cli, out, err, runnerEnvironment); // its functions stop themselves when the JVM ends
      awaitShutdown();
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | TemplateException | UncheckedIOException e) {
      err.println(e.getMessage());
      return USAGE_OR_SETUP_ERROR;
    }
  }

  /** The started local API; {@link #close()} stops the server, the functions and Redis. */
  public static final class RunningApi implements AutoCloseable {
    private final LocalApiGateway gateway;
    private final LocalFunctions functions;

    private RunningApi(LocalApiGateway gateway, LocalFunctions functions) {
      this.gateway = gateway;
      this.functions = functions;
    }

    public String baseUrl() {
      return gateway.baseUrl();
    }

    @Override
    public void close() {
      gateway.close();
      functions.close();
    }
  }

  /**
   * What {@code start-api <options>} starts, returned instead of served until Ctrl-C: for programs and
   * tests that run the local API themselves.
   */
  public static RunningApi startApi(List<String> options, PrintStream out, PrintStream err,
      Map<String, String> runnerEnvironment) {
    List<String> args = new ArrayList<>(List.of(CliArguments.START_API));
    args.addAll(options);
    return startApi(CliArguments.parse(args), out, err, runnerEnvironment);
  }

  /** Starts the HTTP API for every HttpApi route of the template and warms the functions up. */
  private static RunningApi startApi(CliArguments cli, PrintStream out, PrintStream err,
      Map<String, String> runnerEnvironment) {
    SamTemplate template = SamTemplate.read(cli.templateFile());
    // functions without HttpApi events are not started, so their settings need not resolve either
    List<String> functionIds = template.functionIds().stream().filter(id -> !template.routes(id).isEmpty()).toList();
    if (functionIds.isEmpty()) {
      throw new TemplateException("No function in " + cli.templateFile() + " has an HttpApi event");
    }
    EnvVarsFile envVars = cli.envVarsFile().map(EnvVarsFile::read).orElse(EnvVarsFile.none());
    RedisChoice redis = RedisChoice.decide(cli.redisUrl(), cli.parameterOverrides(), template, envVars, functionIds,
        runnerEnvironment);
    List<FunctionDefinition> definitions = functionIds.stream()
        .map(id -> template.function(id, redis.parameterOverrides()))
        .toList();
    RouteTable routes = new RouteTable(definitions.stream().flatMap(d -> d.routes().stream()).toList());
    IamAuthorizer authorizer = authorizer(cli.signatures(), runnerEnvironment);
    LocalHttpServer server = bind(cli.host(), cli.port()); // before anything starts: a port in use fails fast
    LocalFunctions functions;
    try {
      functions = LocalFunctions.prepare(definitions, envVars::variablesFor, redis.source(), err, true);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LocalApiGateway gateway = LocalApiGateway.start(server, routes, functions::get, authorizer, err);
    printBanner(out, gateway.baseUrl(), routes, authorizer);
    for (LocalFunction function : functions.all()) {
      Thread warmUp = new Thread(() -> {
        try {
          function.warmUp();
        } catch (RuntimeException e) {
          err.println("Cannot start " + function.definition().logicalId() + ": " + e.getMessage());
        }
      }, "warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    }
    return new RunningApi(gateway, functions);
  }

  /** The region a signature must name: --region, else AWS_REGION / AWS_DEFAULT_REGION, else the template's. */
  private static IamAuthorizer authorizer(CliArguments.Signatures signatures, Map<String, String> environment) {
    if (!signatures.checked()) {
      return IamAuthorizer.off();
    }
    String region = signatures.region()
        .or(() -> Optional.ofNullable(environment.get("AWS_REGION")))
        .or(() -> Optional.ofNullable(environment.get("AWS_DEFAULT_REGION")))
        .filter(name -> !name.isBlank())
        .orElse(PseudoParameters.REGION);
    return IamAuthorizer.sigV4(
        LocalCredentials.resolve(environment, signatures.credentialsFile(), signatures.profile()), region);
  }

  private static void printBanner(PrintStream out, String baseUrl, RouteTable routes, IamAuthorizer authorizer) {
    for (HttpRoute route : routes.routes()) {
      out.println("Mounting " + route.functionId() + " at " + baseUrl
          + (route.isDefault() ? "/ ($default route)" : route.path()) + " [" + route.method() + "]");
    }
    out.println("Local HTTP API (payload format 2.0) running at " + baseUrl + " - press Ctrl-C to stop");
    out.println(authorizer.description());
    List<String> curls = EXAMPLES.stream()
        .filter(example -> routes.match(example.method(), example.path())
            .filter(match -> !match.route().isDefault() && !match.route().path().endsWith("+}"))
            .isPresent())
        .map(example -> "  " + String.format(example.curl(), baseUrl)
            .replaceFirst("^curl -s", java.util.regex.Matcher.quoteReplacement(authorizer.curl())))
        .toList();
    if (!curls.isEmpty()) {
      out.println("Try:");
      curls.forEach(out::println);
    }
    out.flush();
  }

  private static LocalHttpServer bind(String host, int port) {
    try {
      return LocalHttpServer.bind(host, port);
    } catch (BindException e) {
      String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")
          ? "the port is in use (another tools/local start-api? next dev?)" : e.getMessage();
      throw new IllegalStateException("Cannot serve on " + host + ":" + port + ": " + why
          + "; choose another port with --port, e.g. --port " + (port == 65535 ? 8766 : port + 1));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot serve on " + host + ":" + port + ": " + e.getMessage()
          + "; check --host and --port");
    }
  }

  private static void awaitShutdown() {
    try {
      new CountDownLatch(1).await(); // until Ctrl-C; LocalFunctions' shutdown hook stops the processes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
