package com.huntaze.ratelimit.localrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SAM's {@code --env-vars} file: {@code {"Parameters": {"VAR": "for every function"}, "LogicalId":
 * {"VAR": "for that function"}}}; a function's own section wins over Parameters.
 */
public record EnvVarsFile(Map<String, Map<String, String>> sections) {
  public static final String ALL_FUNCTIONS = "Parameters";

  public EnvVarsFile {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    sections.forEach((name, variables) ->
        copy.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(variables))));
    sections = Collections.unmodifiableMap(copy);
  }

  public static EnvVarsFile none() {
    return new EnvVarsFile(Map.of());
  }

  public static EnvVarsFile read(Path file) {
    JsonNode root;
    try {
      root = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read --env-vars file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new TemplateException("--env-vars file " + file + " must be a JSON object");
    }
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    root.fields().forEachRemaining(section -> {
      if (!section.getValue().isObject()) {
        throw new TemplateException("--env-vars file " + file + ": \"" + section.getKey()
            + "\" must be an object of variables");
      }
      Map<String, String> variables = new LinkedHashMap<>();
      section.getValue().fields().forEachRemaining(variable -> variables.put(variable.getKey(),
          variable.getValue().isValueNode() ? variable.getValue().asText() : variable.getValue().toString()));
      sections.put(section.getKey(), variables);
    });
    return new EnvVarsFile(sections);
  }

  /** The variables this file sets for a function: Parameters, then the function's own section. */
  public Map<String, String> variablesFor(String functionId) {
    Map<String, String> variables = new LinkedHashMap<>(sections.getOrDefault(ALL_FUNCTIONS, Map.of()));
    variables.putAll(sections.getOrDefault(functionId, Map.of()));
    return variables;
  }
}
