package com.huntaze.ratelimit.templatechecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the functions' code emits, read from its sources (functions/&#42;/src/main/java), so that a metric
 * renamed in Java fails the template's checks: metric names put through {@code count}, {@code amount},
 * {@code millis} and {@code countingInvalidRequests}; EMF properties ({@code property}); the values of
 * the {@code Function} dimension (the first argument of {@code new HttpFunction}). String literals and
 * constants of the same file are understood, in ternaries too; names built by concatenation (the
 * per-limit {@code ShadowDenied-<limit>}) are left out.
 */
record EmittedTelemetry(Set<String> metrics, Set<String> properties, Set<String> functions) {
  static final String NAMESPACE = "AiRateLimiter";
  /** The dimension sets every document declares (function-support's EmfDocument). */
  static final Set<Set<String>> DIMENSION_SETS = Set.of(Set.of("Function"), Set.of("Function", "Plan"));

  private static final Pattern CONSTANT = Pattern.compile("static final String ([A-Z][A-Z0-9_]*) = \"([^\"]*)\";");
  private static final Pattern LITERAL = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern NAME = Pattern.compile("\\b[A-Z][A-Z0-9_]+\\b");

  private static volatile EmittedTelemetry read;

  static EmittedTelemetry read() {
    if (read == null) {
      read = readFrom(RepoRoot.get().resolve("functions"));
    }
    return read;
  }

  static EmittedTelemetry readFrom(Path functions) {
    Set<String> metrics = new TreeSet<>();
    Set<String> properties = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    for (Path file : sources(functions)) {
      String code = read(file);
      Map<String, String> constants = new HashMap<>();
      Matcher m = CONSTANT.matcher(code);
      while (m.find()) {
        constants.put(m.group(1), m.group(2));
      }
      for (String call : List.of(".count(", ".amount(", ".millis(", ".countingInvalidRequests(")) {
        firstArguments(code, call).forEach(a -> metrics.addAll(values(a, constants)));
      }
      firstArguments(code, ".property(").forEach(a -> properties.addAll(values(a, constants)));
      firstArguments(code, "new HttpFunction(").forEach(a -> names.addAll(values(a, constants)));
    }
    return new EmittedTelemetry(metrics, properties, names);
  }

  private static List<Path> sources(Path functions) {
    try (Stream<Path> files = Files.walk(functions)) {
      return files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of the first argument of every call of {@code call} (up to its comma or parenthesis). */
  static List<String> firstArguments(String code, String call) {
    List<String> arguments = new ArrayList<>();
    for (int at = code.indexOf(call); at >= 0; at = code.indexOf(call, at + 1)) {
      int depth = 0;
      boolean quoted = false;
      int start = at + call.length();
      int end = start;
      for (; end < code.length(); end++) {
        char c = code.charAt(end);
        if (c == '"' && code.charAt(end - 1) != '\\') {
          quoted = !quoted;
        } else if (!quoted && c == '(') {
          depth++;
        } else if (!quoted && (c == ')' || c == ',') && depth == 0) {
          break;
        } else if (!quoted && c == ')') {
          depth--;
        }
      }
      arguments.add(code.substring(start, end));
    }
    return arguments;
  }

  /** The literals and constants an argument can evaluate to; none for a concatenation. */
  private static List<String> values(String argument, Map<String, String> constants) {
    List<String> values = new ArrayList<>();
    if (argument.contains("+")) {
      return values;
    }
    Matcher literal = LITERAL.matcher(argument);
    while (literal.find()) {
      values.add(literal.group(1));
    }
    Matcher name = NAME.matcher(argument.replaceAll("\"[^\"]*\"", ""));
    while (name.find()) {
      if (constants.containsKey(name.group())) {
        values.add(constants.get(name.group()));
      }
    }
    return values;
  }
}
