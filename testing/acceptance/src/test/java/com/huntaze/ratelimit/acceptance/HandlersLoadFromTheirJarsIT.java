package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.HttpRoute;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every AWS::Serverless::Function of template.yaml points at a jar the build produced (the reactor
 * packages the function modules before this one) and at a handler Lambda can load from that jar alone,
 * with its public no-argument constructor and an event type the runtime's serializer reads the events/
 * files of the function's routes into.
 */
class HandlersLoadFromTheirJarsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RATE_CHECK_FUNCTION = "RateCheckFunction";
  private static Map<String, HandlerChecks.Function> functions;

  @BeforeAll
  static void readTheTemplate() throws IOException {
    SamTemplate template = SamTemplate.read(Project.TEMPLATE);
    functions = new LinkedHashMap<>();
    for (String id : template.functionIds()) {
      FunctionDefinition definition = template.function(id, Map.of());
      functions.put(id, HandlerChecks.Function.of(definition, eventsOf(definition)));
    }
  }

  /** The events/ files whose routeKey is one of the function's HttpApi routes. */
  private static List<Path> eventsOf(FunctionDefinition function) throws IOException {
    Set<String> routeKeys = function.routes().stream().map(HttpRoute::routeKey).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(Project.EVENTS)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json"))
          .filter(file -> routeKeys.contains(routeKey(file)))
          .sorted()
          .toList();
    }
  }

  private static String routeKey(Path event) {
    try {
      return JSON.readTree(event.toFile()).path("routeKey").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyHandlerLoadsFromItsJarAloneWithItsConstructorHandlerMethodAndEventType() {
    assertFalse(functions.isEmpty(), "no AWS::Serverless::Function in template.yaml");
    return functions.values().stream().map(f -> DynamicTest.dynamicTest(f.name() + " " + f.handler(), () -> {
      assertFalse(f.events().isEmpty(), f.name() + ": no events/ file for any of its routes");
      List<String> violations = HandlerChecks.check(f);
      assertEquals(List.of(), violations, () -> String.join("\n", violations));
    }));
  }

  @Test
  void everyProjectClassInTheFunctionJarsLoadsFromItsJarAlone() throws IOException {
    List<String> violations = new ArrayList<>();
    for (HandlerChecks.Function f : functions.values()) {
      assertTrue(Files.isRegularFile(f.codeUri()), f.codeUri() + " does not exist: build it first (./mvnw -DskipTests package)");
      violations.addAll(HandlerChecks.projectClassesLink(f.name(), f.codeUri()));
    }
    assertEquals(List.of(), violations, () -> String.join("\n", violations));
  }

  // ---- the checks catch ... -----------------------------------------------------------------------

  private static HandlerChecks.Function rateCheck() {
    return functions.get(RATE_CHECK_FUNCTION);
  }

  private static void caught(HandlerChecks.Function f, String... expectedFragments) {
    String all = String.join("\n", HandlerChecks.check(f));
    for (String fragment : expectedFragments) {
      assertTrue(all.contains(fragment), "expected a violation mentioning \"" + fragment + "\", got:\n" + all);
    }
  }

  @Test
  void catchesACodeUriJarThatWasNotBuilt() {
    HandlerChecks.Function f = rateCheck();
    caught(f.withCodeUri(f.codeUri().resolveSibling("missing.jar")), "missing.jar does not exist");
  }

  @Test
  void catchesAHandlerClassMissingFromTheJar() {
    caught(rateCheck().withHandler("com.huntaze.ratelimit.function.ratecheck.NoSuchHandler::handleRequest"),
        "NoSuchHandler is not in");
  }

  @Test
  void catchesAHandlerMethodThatDoesNotExist() {
    String handler = rateCheck().handler();
    caught(rateCheck().withHandler(handler.substring(0, handler.indexOf("::")) + "::handle"),
        "has no public method handle(event, ");
  }

  @Test
  void catchesAHandlerClassWithoutANoArgConstructor() {
    // a class the shaded jar holds (Jedis) with neither a no-argument constructor nor a handler method
    caught(rateCheck().withHandler("redis.clients.jedis.HostAndPort::toString"),
        "has no public no-argument constructor", "has no public method toString(event, ");
  }

  @Test
  void catchesARuntimeOlderThanTheBytecode() {
    caught(rateCheck().withRuntime("java8.al2"), "newer than Runtime java8.al2");
  }

  @Test
  void catchesAJarThatIsNotSelfContained(@TempDir Path dir) throws IOException {
    // the handler class alone, without aws-lambda-java-core and the project's other classes
    HandlerChecks.Function f = rateCheck();
    String entry = f.handler().substring(0, f.handler().indexOf("::")).replace('.', '/') + ".class";
    Path thin = copyOf(f.codeUri(), dir.resolve("thin.jar"), name -> name.equals(entry));
    caught(f.withCodeUri(thin), "is not self-contained");
  }

  @Test
  void catchesAnEventTheRuntimesSerializerCannotReadIntoTheHandlersEventType(@TempDir Path dir) throws IOException {
    Path event = Files.writeString(dir.resolve("headers-as-a-list.json"), "{\"headers\": [\"not\", \"a\", \"map\"]}");
    HandlerChecks.Function f = rateCheck();
    HandlerChecks.Function withBadEvent = new HandlerChecks.Function(f.name(), f.codeUri(), f.handler(), f.runtime(),
        List.of(event));
    caught(withBadEvent, "the runtime's serializer cannot read headers-as-a-list.json as "
        + "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
  }

  /** A jar holding the entries of {@code jar} that {@code keep} accepts. */
  private static Path copyOf(Path jar, Path copy, Predicate<String> keep) throws IOException {
    try (JarFile original = new JarFile(jar.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy))) {
      for (JarEntry entry : Collections.list(original.entries())) {
        if (!entry.isDirectory() && keep.test(entry.getName())) {
          out.putNextEntry(new JarEntry(entry.getName()));
          try (InputStream in = original.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
    return copy;
  }
}
