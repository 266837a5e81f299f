package com.huntaze.ratelimit.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The size of each function's deployment jar (the template's CodeUri, built by the same Maven run). */
final class FunctionJars {
  private static final double MB = 1_000_000.0;
  private static final String[] JARS = {"functions/rate-check/target/rate-check.jar",
      "functions/connection-test/target/connection-test.jar"};

  private FunctionJars() {
  }

  static void measure(Path template, Figures figures) {
    System.out.println("== function jars");
    for (String jar : JARS) {
      Path path = template.resolveSibling(jar);
      try {
        long bytes = Files.size(path);
        System.out.printf(Locale.ROOT, "  %-56s %,d bytes%n", jar, bytes);
        figures.lower("jar size, " + path.getFileName() + " (MB)", bytes / MB, 8.0);
      } catch (IOException e) {
        throw new UncheckedIOException("build the jars first (./mvnw -DskipTests package): " + path, e);
      }
    }
    System.out.println();
  }
}
