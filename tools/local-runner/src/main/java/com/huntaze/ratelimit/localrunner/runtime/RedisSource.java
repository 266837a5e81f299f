package com.huntaze.ratelimit.localrunner.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Where the functions of a local run find Redis. */
public sealed interface RedisSource {

  /** The settings a local redis-server has, assumed for what the user left out. */
  Map<String, String> LOCAL_DEFAULTS = localDefaults();

  /** A redis-server started for the run on a free loopback port (plain text, no auth), stopped at its end. */
  record LocalServer() implements RedisSource {
  }

  /**
   * A Redis the user named. {@code variables} replace every REDIS_* variable of the template (none given:
   * the template's stand, resolved from the user's parameter overrides); a password is written to a file
   * only the user can read, named by REDIS_PASSWORD_FILE.
   */
  final class Named implements RedisSource {
    private final Map<String, String> variables;
    private final Optional<String> password;
    private final String description;

    Named(Map<String, String> variables, Optional<String> password, String description) {
      this.variables = Map.copyOf(variables);
      this.password = password;
      this.description = description;
    }

    public Map<String, String> variables() {
      return variables;
    }

    Optional<String> password() {
      return password;
    }

    public String description() {
      return description;
    }

    @Override
    public String toString() {
      return "Named[" + description + "]"; // never the password
    }
  }

  static RedisSource localServer() {
    return new LocalServer();
  }

  static RedisSource url(RedisUrl url) {
    return new Named(url.variables(), url.password(),
        "Redis: " + url + " from --redis-url (" + url.summary() + ")");
  }

  /** The template's REDIS_* values, resolved from the parameters the user gave; {@code description} says which. */
  static RedisSource template(String description) {
    return new Named(Map.of(), Optional.empty(), description);
  }

  /**
   * The REDIS_* variables the user set ({@code origin} says where: "REDIS_HOST in your environment",
   * "--env-vars"), each setting they left out taken from a local server's defaults and said so.
   */
  static RedisSource withLocalDefaults(Map<String, String> given, String origin) {
    Map<String, String> variables = new TreeMap<>(given);
    List<String> assumed = new ArrayList<>();
    LOCAL_DEFAULTS.forEach((name, value) -> {
      if (!given.containsKey(name)) {
        variables.put(name, value);
        assumed.add(name + "=" + value);
      }
    });
    String description = "Redis: " + given.get("REDIS_HOST") + ":" + variables.get("REDIS_PORT") + " from " + origin
        + (assumed.isEmpty() ? "" : "; assumed " + String.join(", ", assumed)
            + " (a local server's settings: set them to change)");
    return new Named(variables, Optional.empty(), description);
  }

  /**
   * The Redis a map of variables names: its REDIS_* variables (with local defaults for the ones left out)
   * when it sets REDIS_HOST, else a local server. For programs that run functions themselves.
   */
  static RedisSource fromEnvironment(Map<String, String> environment) {
    if (!environment.containsKey("REDIS_HOST")) {
      return localServer();
    }
    Map<String, String> redis = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith("REDIS_")) {
        redis.put(name, value);
      }
    });
    return withLocalDefaults(redis, "REDIS_HOST in your environment");
  }

  private static Map<String, String> localDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("REDIS_PORT", Integer.toString(RedisUrl.DEFAULT_PORT));
    defaults.put("REDIS_TLS", "false");
    defaults.put("REDIS_AUTH_MODE", "none");
    defaults.put("REDIS_CLUSTER_MODE", "false");
    return Collections.unmodifiableMap(defaults);
  }
}
