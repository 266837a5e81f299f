package com.huntaze.ratelimit.localrunner.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The parts of a SAM template that running a function locally needs: Parameters, Conditions,
 * Globals.Function and the AWS::Serverless::Function resources with their HttpApi events.
 */
public final class SamTemplate {
  private static final String FUNCTION_TYPE = "AWS::Serverless::Function";
  // Lambda's own defaults when neither the function nor Globals set them
  private static final int DEFAULT_TIMEOUT_SECONDS = 3;
  private static final int DEFAULT_MEMORY_MB = 128;

  private final Path directory;
  private final Map<String, Object> parameters;
  private final Map<String, Object> conditions;
  private final Map<String, Object> globalFunction;
  private final Map<String, Map<String, Object>> functions;

  private SamTemplate(Path directory, Map<String, Object> root) {
    this.directory = directory.toAbsolutePath().normalize();
    this.parameters = mapping(root.get("Parameters"), "Parameters");
    this.conditions = mapping(root.get("Conditions"), "Conditions");
    this.globalFunction = mapping(mapping(root.get("Globals"), "Globals").get("Function"), "Globals.Function");
    Map<String, Map<String, Object>> found = new LinkedHashMap<>();
    mapping(root.get("Resources"), "Resources").forEach((logicalId, resource) -> {
      Map<String, Object> definition = mapping(resource, logicalId);
      if (FUNCTION_TYPE.equals(definition.get("Type"))) {
        found.put(logicalId, mapping(definition.get("Properties"), logicalId + ".Properties"));
      }
    });
    this.functions = found;
  }

  public static SamTemplate read(Path file) {
    Path absolute = file.toAbsolutePath();
    return new SamTemplate(absolute.getParent(), CloudFormationYaml.load(absolute));
  }

  /** A template given as text; CodeUri paths are relative to {@code directory}. */
  static SamTemplate parse(String yaml, Path directory) {
    return new SamTemplate(directory, CloudFormationYaml.parse(yaml, "template"));
  }

  public List<String> functionIds() {
    return List.copyOf(functions.keySet());
  }

  /** The function's HttpApi routes, read without resolving anything else of it. */
  public List<HttpRoute> routes(String logicalId) {
    Map<String, Object> properties = functions.get(logicalId);
    return properties == null ? List.of() : routes(logicalId, properties);
  }

  /** One function with Globals applied; {@code parameterOverrides} win over parameter Defaults. */
  public FunctionDefinition function(String logicalId, Map<String, String> parameterOverrides) {
    Map<String, Object> properties = functions.get(logicalId);
    if (properties == null) {
      throw new TemplateException("No function '" + logicalId + "' in the template; functions: "
          + String.join(", ", functions.keySet()));
    }
    IntrinsicResolver resolver = new IntrinsicResolver(parameterValues(parameterOverrides), conditions);
    Map<String, String> unresolved = new LinkedHashMap<>();
    Function<String, Optional<String>> property = name -> property(logicalId, properties, resolver, name);
    String codeUri = property.apply("CodeUri")
        .orElseThrow(() -> new TemplateException(logicalId + ": no CodeUri"));
    String handler = property.apply("Handler")
        .orElseThrow(() -> new TemplateException(logicalId + ": no Handler"));
    if (properties.containsKey("PackageType") && !"Zip".equals(properties.get("PackageType"))) {
      throw new TemplateException(logicalId + ": only PackageType Zip can run locally");
    }
    return new FunctionDefinition(
        logicalId,
        directory.resolve(codeUri).normalize(),
        handler,
        property.apply("Runtime").orElse("java21"),
        number(logicalId, "Timeout", property.apply("Timeout"), DEFAULT_TIMEOUT_SECONDS),
        number(logicalId, "MemorySize", property.apply("MemorySize"), DEFAULT_MEMORY_MB),
        environment(logicalId, properties, resolver, unresolved),
        unresolved,
        routes(logicalId, properties));
  }

  /**
   * The template parameter an environment variable takes its value from (a plain {@code !Ref} to a
   * parameter, in Globals.Function or in any function), e.g. CacheEndpoint for REDIS_HOST.
   */
  public Optional<String> parameterOf(String variable) {
    List<Map<String, Object>> scopes = new ArrayList<>();
    scopes.add(variables(globalFunction, "Globals.Function"));
    functions.forEach((logicalId, properties) -> scopes.add(variables(properties, logicalId)));
    for (Map<String, Object> scope : scopes) {
      if (scope.get(variable) instanceof Map<?, ?> value && value.size() == 1
          && value.get("Ref") instanceof String parameter && parameters.containsKey(parameter)) {
        return Optional.of(parameter);
      }
    }
    return Optional.empty();
  }

  /** A parameter's Default; empty when it has none (or there is no such parameter). */
  public Optional<String> parameterDefault(String name) {
    Object definition = parameters.get(name);
    return definition instanceof Map<?, ?> map && map.get("Default") != null
        ? Optional.of(String.valueOf(map.get("Default"))) : Optional.empty();
  }

  /** A property of the function, else of Globals.Function, resolved; empty when not set. */
  private Optional<String> property(String logicalId, Map<String, Object> properties,
      IntrinsicResolver resolver, String name) {
    Object raw = properties.containsKey(name) ? properties.get(name) : globalFunction.get(name);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return resolver.resolve(raw); // AWS::NoValue: as if not set
    } catch (TemplateException e) {
      throw new TemplateException(logicalId + ": " + name + ": " + e.getMessage());
    }
  }

  private Map<String, String> parameterValues(Map<String, String> overrides) {
    for (String name : overrides.keySet()) {
      if (!parameters.containsKey(name)) {
        throw new TemplateException("--parameter-overrides: the template has no parameter '" + name
            + "'; parameters: " + String.join(", ", parameters.keySet()));
      }
    }
    Map<String, String> values = new HashMap<>();
    parameters.forEach((name, definitionObject) -> {
      Map<String, Object> definition = mapping(definitionObject, "Parameters." + name);
      Object value = overrides.containsKey(name) ? overrides.get(name) : definition.get("Default");
      String text = value == null ? null : String.valueOf(value);
      Object allowed = definition.get("AllowedValues");
      if (text != null && allowed instanceof List<?> allowedValues
          && allowedValues.stream().map(String::valueOf).noneMatch(text::equals)) {
        throw new TemplateException("Parameter " + name + "=" + text + " is not one of " + allowedValues);
      }
      values.put(name, text); // null: no Default and no override, an error only when used
    });
    return values;
  }

  private Map<String, String> environment(String logicalId, Map<String, Object> properties,
      IntrinsicResolver resolver, Map<String, String> unresolved) {
    Map<String, Object> variables = new LinkedHashMap<>(variables(globalFunction, "Globals.Function"));
    variables.putAll(variables(properties, logicalId));
    Map<String, String> resolved = new LinkedHashMap<>();
    variables.forEach((name, value) -> {
      try {
        resolver.resolve(value).ifPresent(text -> resolved.put(name, text)); // AWS::NoValue drops it
      } catch (TemplateException e) {
        unresolved.put(name, logicalId + ": environment variable " + name + ": " + e.getMessage());
      }
    });
    return resolved;
  }

  private static Map<String, Object> variables(Map<String, Object> functionProperties, String where) {
    Map<String, Object> environment = mapping(functionProperties.get("Environment"), where + ".Environment");
    return mapping(environment.get("Variables"), where + ".Environment.Variables");
  }

  private static List<HttpRoute> routes(String logicalId, Map<String, Object> properties) {
    List<HttpRoute> routes = new ArrayList<>();
    mapping(properties.get("Events"), logicalId + ".Events").forEach((eventId, eventObject) -> {
      Map<String, Object> event = mapping(eventObject, logicalId + ".Events." + eventId);
      if (!"HttpApi".equals(event.get("Type"))) {
        return; // only HTTP APIs (payload 2.0) are served locally
      }
      Map<String, Object> eventProperties = mapping(event.get("Properties"), eventId + ".Properties");
      Object path = eventProperties.get("Path");
      Object method = eventProperties.getOrDefault("Method", HttpRoute.ANY);
      // an HttpApi event without Path is the API's $default (catch-all) route
      routes.add(path == null
          ? new HttpRoute(HttpRoute.ANY, HttpRoute.DEFAULT_PATH, logicalId)
          : new HttpRoute(String.valueOf(method), String.valueOf(path), logicalId));
    });
    return routes;
  }

  private static int number(String logicalId, String name, Optional<String> value, int fallback) {
    try {
      return value.map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new TemplateException(logicalId + ": " + name + " must be a whole number, got " + value.get());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(Object value, String where) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new TemplateException(where + " must be a mapping, got " + value);
    }
    return (Map<String, Object>) value;
  }
}
