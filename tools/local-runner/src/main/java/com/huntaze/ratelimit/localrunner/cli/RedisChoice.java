package com.huntaze.ratelimit.localrunner.cli;

import com.huntaze.ratelimit.localrunner.runtime.RedisSource;
import com.huntaze.ratelimit.localrunner.runtime.RedisUrl;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which Redis a local run uses, from what the user named, in this order: --redis-url; the template's
 * Redis parameters in --parameter-overrides (e.g. CacheEndpoint); REDIS_HOST in the --env-vars file;
 * REDIS_HOST in the shell. Whatever names a Redis means no local redis-server is started; what it leaves
 * out takes a local server's settings (TLS off, auth none, cluster off), said in the printed line.
 * {@code parameterOverrides}: the user's, plus the ones assumed.
 */
record RedisChoice(Map<String, String> parameterOverrides, RedisSource source) {
  /** The variables that say which Redis and how to reach it, in the order they are described. */
  private static final List<String> CONNECTION = List.of("REDIS_HOST", "REDIS_PORT", "REDIS_TLS",
      "REDIS_AUTH_MODE", "REDIS_CLUSTER_MODE");

  RedisChoice {
    parameterOverrides = Map.copyOf(parameterOverrides);
  }

  /** @throws IllegalArgumentException when the user named two Redis, or one without its host */
  static RedisChoice decide(Optional<RedisUrl> url, Map<String, String> overrides, SamTemplate template,
      EnvVarsFile envVars, List<String> functionIds, Map<String, String> shell) {
    Map<String, String> parameterOf = new LinkedHashMap<>();   // variable -> template parameter
    CONNECTION.forEach(variable -> template.parameterOf(variable).ifPresent(p -> parameterOf.put(variable, p)));
    List<String> overridden = parameterOf.values().stream().filter(overrides::containsKey).toList();
    Map<String, String> fromFile = redisVariables(envVars, functionIds);
    List<String> named = new ArrayList<>();
    url.ifPresent(given -> named.add("--redis-url"));
    if (!overridden.isEmpty()) {
      named.add("--parameter-overrides " + String.join(", ", overridden));
    }
    if (fromFile.containsKey("REDIS_HOST")) {
      named.add("REDIS_HOST in --env-vars");
    }
    if (named.size() > 1) {
      throw new IllegalArgumentException("Redis is named twice, by " + String.join(" and by ", named)
          + ": keep one");
    }
    if (url.isPresent()) {
      return new RedisChoice(overrides, RedisSource.url(url.get()));
    }
    if (!overridden.isEmpty()) {
      return fromParameters(overrides, overridden, parameterOf, template);
    }
    if (fromFile.containsKey("REDIS_HOST")) {
      return new RedisChoice(overrides, RedisSource.withLocalDefaults(fromFile, "--env-vars"));
    }
    return new RedisChoice(overrides, RedisSource.fromEnvironment(shell));
  }

  /** The template resolves REDIS_* from the parameters; those the user left out get a local server's values. */
  private static RedisChoice fromParameters(Map<String, String> overrides, List<String> overridden,
      Map<String, String> parameterOf, SamTemplate template) {
    String hostParameter = parameterOf.get("REDIS_HOST");
    if (hostParameter == null || !overrides.containsKey(hostParameter)) {
      throw new IllegalArgumentException("--parameter-overrides " + String.join(", ", overridden)
          + " sets how to reach Redis but not where: add " + (hostParameter == null ? "the host" : hostParameter
          + "=<host>") + ", or use --redis-url redis://host:port");
    }
    Map<String, String> withAssumed = new LinkedHashMap<>(overrides);
    List<String> assumed = new ArrayList<>();
    for (String variable : List.of("REDIS_TLS", "REDIS_AUTH_MODE", "REDIS_CLUSTER_MODE")) {
      String parameter = parameterOf.get(variable);
      if (parameter != null && !overrides.containsKey(parameter)) {
        String value = RedisSource.LOCAL_DEFAULTS.get(variable);
        withAssumed.put(parameter, value);
        assumed.add(parameter + "=" + value);
      }
    }
    String portParameter = parameterOf.get("REDIS_PORT");
    String port = portParameter == null ? "(the template's port)"
        : Optional.ofNullable(overrides.get(portParameter)).or(() -> template.parameterDefault(portParameter))
            .orElse("(no port)");
    StringBuilder description = new StringBuilder("Redis: " + overrides.get(hostParameter) + ":" + port
        + " from --parameter-overrides " + String.join(", ", overridden));
    if (!assumed.isEmpty()) {
      description.append("; assumed ").append(String.join(", ", assumed))
          .append(" (a local server's settings: override them to change)");
    }
    String authMode = withAssumed.getOrDefault(parameterOf.getOrDefault("REDIS_AUTH_MODE", ""), "none");
    if (authMode.equals("secret") || authMode.equals("iam")) {
      description.append("; note: auth mode ").append(authMode).append(" needs AWS, which a local run reaches only"
          + " with AWS settings in --env-vars (for a password, use --redis-url redis://user:password@host:port)");
    }
    return new RedisChoice(withAssumed, RedisSource.template(description.toString()));
  }

  /** The REDIS_* variables the --env-vars file sets for the functions of the run. */
  private static Map<String, String> redisVariables(EnvVarsFile envVars, List<String> functionIds) {
    Map<String, String> redis = new TreeMap<>();
    for (String functionId : functionIds) {
      envVars.variablesFor(functionId).forEach((name, value) -> {
        if (name.startsWith("REDIS_")) {
          redis.putIfAbsent(name, value);
        }
      });
    }
    return redis;
  }
}
