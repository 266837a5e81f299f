package com.huntaze.ratelimit.templatechecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every AWS::Serverless::Function of template.yaml points at a jar the build produced (the reactor
 * packages the function modules before this one) and at a handler Lambda can load from that jar alone.
 */
class HandlersExistIT {
  private static JsonNode template;
  private static Map<String, HandlerChecks.Function> functions;

  @BeforeAll
  static void load() throws IOException {
    template = TemplateJson.load(RepoRoot.template());
    functions = HandlerChecks.functions(template);
  }

  @TestFactory
  Stream<DynamicTest> everyHandlerIsAPublicClassWithANoArgConstructorAndAHandlerMethodInItsJarAlone() {
    assertFalse(functions.isEmpty(), "no AWS::Serverless::Function in template.yaml");
    return functions.values().stream().map(f -> DynamicTest.dynamicTest(f.name() + " " + f.handler().asText(), () -> {
      List<String> violations = HandlerChecks.check(RepoRoot.get(), f);
      assertEquals(List.of(), violations, () -> String.join("\n", violations));
    }));
  }

  @Test
  void everyProjectClassInTheFunctionJarsLoadsFromItsJarAlone() throws IOException {
    List<String> violations = new ArrayList<>();
    for (HandlerChecks.Function f : functions.values()) {
      Path jar = RepoRoot.get().resolve(f.codeUri().asText());
      assertTrue(Files.isRegularFile(jar), jar + " does not exist: build it first (./mvnw -DskipTests package)");
      violations.addAll(HandlerChecks.projectClassesLink(f.name(), jar));
    }
    assertEquals(List.of(), violations, () -> String.join("\n", violations));
  }

  // ---- the checks catch ... -----------------------------------------------------------------------

  private static HandlerChecks.Function rateCheck() {
    return functions.get(TemplateChecks.RATE_CHECK_FUNCTION);
  }

  private static List<String> check(HandlerChecks.Function f, String... expectedFragments) {
    List<String> violations = HandlerChecks.check(RepoRoot.get(), f);
    String all = String.join("\n", violations);
    for (String fragment : expectedFragments) {
      assertTrue(all.contains(fragment), "expected a violation mentioning \"" + fragment + "\", got:\n" + all);
    }
    return violations;
  }

  private static HandlerChecks.Function withHandler(String handler) {
    HandlerChecks.Function f = rateCheck();
    return new HandlerChecks.Function(f.name(), f.codeUri(), TextNode.valueOf(handler), f.runtime());
  }

  @Test
  void catchesACodeUriJarThatWasNotBuilt() {
    HandlerChecks.Function f = rateCheck();
    check(new HandlerChecks.Function(f.name(), TextNode.valueOf("functions/rate-check/target/missing.jar"),
        f.handler(), f.runtime()), "missing.jar does not exist");
  }

  @Test
  void catchesAHandlerClassMissingFromTheJar() {
    check(withHandler("com.huntaze.ratelimit.function.ratecheck.NoSuchHandler::handleRequest"),
        "NoSuchHandler is not in");
  }

  @Test
  void catchesAHandlerMethodThatDoesNotExist() {
    String handler = rateCheck().handler().asText();
    check(withHandler(handler.substring(0, handler.indexOf("::")) + "::handle"), "has no public method handle(event, ");
  }

  @Test
  void catchesAHandlerClassWithoutANoArgConstructor() {
    // a class the shaded jar holds (Jedis) with neither a no-argument constructor nor a handler method
    check(withHandler("redis.clients.jedis.HostAndPort::toString"),
        "has no public no-argument constructor", "has no public method toString(event, ");
  }

  @Test
  void catchesARuntimeOlderThanTheBytecode() {
    HandlerChecks.Function f = rateCheck();
    check(new HandlerChecks.Function(f.name(), f.codeUri(), f.handler(), TextNode.valueOf("java8.al2")),
        "newer than Runtime java8.al2");
  }

  @Test
  void catchesAJarThatIsNotSelfContained(@TempDir Path dir) throws IOException {
    // the handler class alone, without aws-lambda-java-core and the project's other classes
    HandlerChecks.Function f = rateCheck();
    String handler = f.handler().asText();
    String entry = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
    Path thin = dir.resolve("thin.jar");
    try (JarFile shaded = new JarFile(RepoRoot.get().resolve(f.codeUri().asText()).toFile());
        InputStream in = shaded.getInputStream(shaded.getEntry(entry));
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(thin))) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    check(new HandlerChecks.Function(f.name(), TextNode.valueOf(thin.toString()), f.handler(), f.runtime()),
        "is not self-contained");
  }

  @Test
  void readsHandlerAndRuntimeFromGlobalsWhenAFunctionOmitsThem() {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("Globals").putObject("Function").put("Runtime", "java21").put("Handler", "a.B::handle");
    ObjectNode resource = t.putObject("Resources").putObject("F");
    resource.put("Type", "AWS::Serverless::Function");
    resource.putObject("Properties").put("CodeUri", "f.jar");
    HandlerChecks.Function f = HandlerChecks.functions(t).get("F");
    assertEquals("a.B::handle", f.handler().asText());
    assertEquals("java21", f.runtime().asText());
  }
}
