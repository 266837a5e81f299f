package com.huntaze.ratelimit.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of {@code samconfig.toml} the doctor needs: {@code [<env>.deploy.parameters]}'s stack_name, region
 * and parameter_overrides. A tiny reader for this file's shape only (tables, {@code key = "string"}, numbers,
 * booleans, arrays of strings over several lines, {@code #} comments), not a general TOML parser.
 * parameter_overrides may be an array of {@code "Name=Value"} strings or one string of space-separated pairs,
 * as {@code sam deploy --guided} writes it.
 */
public final class SamConfig {
  private final Map<String, Map<String, Object>> tables;

  private SamConfig(Map<String, Map<String, Object>> tables) {
    this.tables = tables;
  }

  public static SamConfig read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static SamConfig parse(String text) {
    Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
    Map<String, Object> current = tables.computeIfAbsent("", k -> new LinkedHashMap<>());
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = stripComment(lines[i]).trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw new IllegalArgumentException("samconfig.toml line " + (i + 1) + ": a table header must end with ]");
        }
        current = tables.computeIfAbsent(line.substring(1, line.length() - 1).trim(), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("samconfig.toml line " + (i + 1) + ": expected key = value");
      }
      String key = line.substring(0, eq).trim();
      StringBuilder value = new StringBuilder(line.substring(eq + 1).trim());
      if (value.toString().startsWith("[")) {
        while (!value.toString().endsWith("]") && i + 1 < lines.length) {
          value.append(' ').append(stripComment(lines[++i]).trim());
        }
      }
      current.put(key, value(value.toString(), i + 1));
    }
    return new SamConfig(tables);
  }

  private static Object value(String raw, int line) {
    if (raw.startsWith("[")) {
      List<String> items = new ArrayList<>();
      String inner = raw.substring(1, raw.length() - 1).trim();
      int pos = 0;
      while (pos < inner.length()) {
        char c = inner.charAt(pos);
        if (c == '"' || c == '\'') {
          int end = inner.indexOf(c, pos + 1);
          if (end < 0) {
            throw new IllegalArgumentException("samconfig.toml line " + line + ": unterminated string");
          }
          items.add(inner.substring(pos + 1, end));
          pos = end + 1;
        } else {
          pos++;   // commas and blanks between items
        }
      }
      return items;
    }
    if ((raw.startsWith("\"") && raw.endsWith("\"") || raw.startsWith("'") && raw.endsWith("'")) && raw.length() >= 2) {
      return raw.substring(1, raw.length() - 1);
    }
    return raw;   // numbers and booleans stay text: the doctor compares them as text
  }

  private static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  public boolean hasEnvironment(String env) {
    return tables.containsKey(env + ".deploy.parameters");
  }

  /** A deploy setting of the environment, else of {@code default.global.parameters}. */
  public Optional<String> setting(String env, String key) {
    for (String table : List.of(env + ".deploy.parameters", env + ".global.parameters", "default.global.parameters")) {
      Object value = tables.getOrDefault(table, Map.of()).get(key);
      if (value instanceof String s) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The environment's parameter_overrides, in order. */
  public Map<String, String> parameters(String env) {
    Object raw = tables.getOrDefault(env + ".deploy.parameters", Map.of()).get("parameter_overrides");
    List<String> pairs = new ArrayList<>();
    if (raw instanceof List<?> list) {
      list.forEach(item -> pairs.add(item.toString()));
    } else if (raw instanceof String s) {
      pairs.addAll(splitPairs(s));
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        parameters.put(pair.substring(0, eq).trim(), unquote(pair.substring(eq + 1).trim()));
      }
    }
    return parameters;
  }

  /** {@code A=1 B="x y" C=\"z\"}: pairs separated by blanks outside quotes. */
  private static List<String> splitPairs(String s) {
    List<String> pairs = new ArrayList<>();
    StringBuilder pair = new StringBuilder();
    boolean quoted = false;
    for (char c : s.replace("\\\"", "\"").toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ' ' && !quoted) {
        if (pair.length() > 0) {
          pairs.add(pair.toString());
          pair.setLength(0);
        }
      } else {
        pair.append(c);
      }
    }
    if (pair.length() > 0) {
      pairs.add(pair.toString());
    }
    return pairs;
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
