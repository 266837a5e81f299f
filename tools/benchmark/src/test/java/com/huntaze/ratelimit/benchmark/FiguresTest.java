package com.huntaze.ratelimit.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {
  private static final String README = """
      text before
      <!-- figures -->
      | figure | README | goal |
      | --- | --- | --- |
      | check p50 / PING p50 | 2.00 | <= 1.3 |
      | throughput, 16 threads: project / bucket4j | 1.00 | >= 2 |
      | script time (us per call) | 1,000 | <= 15 |
      <!-- /figures -->
      | not a figure | 99 | |
      """;

  @Test
  void readsOnlyTheRowsBetweenTheMarkers(@TempDir Path dir) throws IOException {
    Map<String, Double> figures = Figures.readmeFigures(write(dir));
    assertEquals(Map.of("check p50 / PING p50", 2.0, "throughput, 16 threads: project / bucket4j", 1.0,
        "script time (us per call)", 1000.0), figures);
  }

  @Test
  void aFigureMoreThanThirtyPercentWorseThanTheReadmesIsARegressionInEitherDirection(@TempDir Path dir)
      throws IOException {
    Figures figures = new Figures();
    figures.lower("check p50 / PING p50", 2.7, 1.3);                           // 35% worse: higher is worse
    figures.higher("throughput, 16 threads: project / bucket4j", 0.75, 2.0);   // 33% worse: lower is worse
    figures.lower("script time (us per call)", 1200, 15.0);                    // 20% worse: noise
    String out = printed(figures, write(dir));
    assertTrue(out.contains("2 REGRESSION(S)"), out);
    assertTrue(lineOf(out, "check p50 / PING p50").contains("REGRESSION (35% worse)"), out);
    assertTrue(lineOf(out, "project / bucket4j").contains("REGRESSION (33% worse)"), out);
    assertFalse(lineOf(out, "script time").contains("REGRESSION"), out);
  }

  @Test
  void eachFigureSaysWhetherItMeetsItsGoal(@TempDir Path dir) throws IOException {
    Figures figures = new Figures();
    figures.lower("check p50 / PING p50", 1.2, 1.3);
    figures.higher("throughput, 16 threads: project / bucket4j", 1.5, 2.0);
    figures.lower("a new figure", 3, null);
    String out = printed(figures, write(dir));
    assertTrue(lineOf(out, "PING p50").contains("meets the goal"), out);
    assertTrue(lineOf(out, "bucket4j").contains("misses the goal"), out);
    assertTrue(lineOf(out, "a new figure").contains("not in the README"), out);
    assertTrue(out.contains("no regression against the README"), out);
  }

  private static Path write(Path dir) throws IOException {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, README);
    return readme;
  }

  private static String printed(Figures figures, Path readme) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      figures.print(readme);
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String lineOf(String out, String name) {
    return out.lines().filter(l -> l.contains(name)).findFirst().orElseThrow();
  }
}
