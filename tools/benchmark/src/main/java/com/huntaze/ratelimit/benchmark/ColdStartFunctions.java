package com.huntaze.ratelimit.benchmark;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.huntaze.ratelimit.benchmark.trivial.TrivialHandler;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The contenders of {@link ColdStartBenchmark} as the local runner runs them: rate-check's definition from the
 * template (optionally with other JAVA_TOOL_OPTIONS or another build's jar), and a trivial handler packaged in a
 * jar of its own with the same definition otherwise.
 */
final class ColdStartFunctions {
  private ColdStartFunctions() {
  }

  /** The definition with JAVA_TOOL_OPTIONS replaced (null: as the template says; empty: removed). */
  static FunctionDefinition withJavaToolOptions(FunctionDefinition function, String javaToolOptions) {
    if (javaToolOptions == null) {
      return function;
    }
    Map<String, String> environment = new LinkedHashMap<>(function.environment());
    if (javaToolOptions.isBlank()) {
      environment.remove("JAVA_TOOL_OPTIONS");
    } else {
      environment.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    }
    return new FunctionDefinition(function.logicalId(), function.codeUri(), function.handler(), function.runtime(),
        function.timeoutSeconds(), function.memorySizeMb(), environment, function.unresolved(), function.routes());
  }

  /** The trivial handler in its own jar, with everything else of {@code function}'s definition. */
  static FunctionDefinition trivialLike(FunctionDefinition function, Path jar) {
    FunctionDefinition trivial = withCodeUri(function, ColdStartBenchmark.TRIVIAL, jar);
    return new FunctionDefinition(trivial.logicalId(), jar, TrivialHandler.class.getName() + "::handleRequest",
        trivial.runtime(), trivial.timeoutSeconds(), trivial.memorySizeMb(), trivial.environment(),
        trivial.unresolved(), trivial.routes());
  }

  /** The function under another name, from another jar, with everything else of its definition. */
  static FunctionDefinition withCodeUri(FunctionDefinition function, String logicalId, Path jar) {
    return new FunctionDefinition(logicalId, jar, function.handler(), function.runtime(), function.timeoutSeconds(),
        function.memorySizeMb(), function.environment(), function.unresolved(), List.of());
  }

  /** What shading makes of the trivial function: its class plus aws-lambda-java-core and -events. */
  static Path writeTrivialJar(Path jar) {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      Set<String> written = new HashSet<>();
      String handler = TrivialHandler.class.getName().replace('.', '/') + ".class";
      try (InputStream in = TrivialHandler.class.getClassLoader().getResourceAsStream(handler)) {
        add(zip, written, handler, in.readAllBytes());
      }
      copyClasses(location(RequestHandler.class), zip, written);
      copyClasses(location(APIGatewayV2HTTPEvent.class), zip, written);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyClasses(Path libraryJar, ZipOutputStream zip, Set<String> written) throws IOException {
    try (ZipFile library = new ZipFile(libraryJar.toFile())) {
      for (ZipEntry entry : library.stream().toList()) {
        if (entry.getName().endsWith(".class") && !entry.getName().contains("module-info")) {
          try (InputStream in = library.getInputStream(entry)) {
            add(zip, written, entry.getName(), in.readAllBytes());
          }
        }
      }
    }
  }

  private static void add(ZipOutputStream zip, Set<String> written, String name, byte[] content) throws IOException {
    if (written.add(name)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content);
      zip.closeEntry();
    }
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
