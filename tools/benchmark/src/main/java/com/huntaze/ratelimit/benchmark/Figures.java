package com.huntaze.ratelimit.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one benchmark run, printed at the end beside the README's figures of the same name (its table
 * between {@code <!-- figures -->} and {@code <!-- /figures -->}) and beside the goal: a figure more than 30% worse
 * than the README's is marked REGRESSION, so that a regression shows at a glance.
 */
final class Figures {
  /** Worse than the README's figure by more than this fraction is a regression (noise on a shared machine is below it). */
  static final double REGRESSION = 0.30;
  private static final String START = "<!-- figures -->";
  private static final String END = "<!-- /figures -->";

  /** Which way is better, and the goal if there is one. */
  enum Better { LOWER, HIGHER }

  record Figure(String name, double value, Better better, Double goal) {
    boolean meetsGoal() {
      return goal == null || (better == Better.LOWER ? value <= goal : value >= goal);
    }

    /** How much worse than {@code readme}, as a fraction (negative: better). */
    double worseThan(double readme) {
      return better == Better.LOWER ? value / readme - 1 : readme / value - 1;
    }
  }

  private final List<Figure> figures = new ArrayList<>();

  void lower(String name, double value, Double goal) {
    figures.add(new Figure(name, value, Better.LOWER, goal));
  }

  void higher(String name, double value, Double goal) {
    figures.add(new Figure(name, value, Better.HIGHER, goal));
  }

  List<Figure> all() {
    return List.copyOf(figures);
  }

  /** Prints every figure with the README's and the goal; returns how many regressed. */
  int print(Path readme) {
    Map<String, Double> baseline = readmeFigures(readme);
    System.out.println("== figures of this run beside the README's (" + readme + "); REGRESSION = more than "
        + Math.round(REGRESSION * 100) + "% worse than the README's");
    System.out.printf(Locale.ROOT, "%-58s %10s %10s %9s  %s%n", "figure", "this run", "README", "goal", "");
    int regressions = 0;
    for (Figure f : figures) {
      Double was = baseline.get(f.name());
      String verdict = f.goal() == null ? "" : f.meetsGoal() ? "meets the goal" : "misses the goal";
      if (was == null) {
        verdict += (verdict.isEmpty() ? "" : "; ") + "not in the README";
      } else if (f.worseThan(was) > REGRESSION) {
        verdict = "REGRESSION (" + Math.round(f.worseThan(was) * 100) + "% worse)" + (verdict.isEmpty() ? "" : "; ")
            + verdict;
        regressions++;
      }
      System.out.printf(Locale.ROOT, "%-58s %10s %10s %9s  %s%n", f.name(), number(f.value()),
          was == null ? "-" : number(was), goal(f), verdict);
    }
    System.out.println(regressions == 0 ? "no regression against the README" : regressions + " REGRESSION(S)");
    return regressions;
  }

  /** The README's table rows "| name | number | goal |" between the markers. */
  static Map<String, Double> readmeFigures(Path readme) {
    Map<String, Double> values = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(readme);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean inside = false;
    for (String line : lines) {
      if (line.strip().equals(START)) {
        inside = true;
      } else if (line.strip().equals(END)) {
        inside = false;
      } else if (inside && line.startsWith("| ") && !line.startsWith("| figure") && !line.startsWith("| ---")) {
        String[] cells = line.split("\\|");
        values.put(cells[1].strip(), Double.parseDouble(cells[2].strip().replace(",", "")));
      }
    }
    return values;
  }

  private static String goal(Figure f) {
    if (f.goal() == null) {
      return "-";
    }
    return (f.better() == Better.LOWER ? "<= " : ">= ") + number(f.goal());
  }

  private static String number(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
