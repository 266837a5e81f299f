package com.huntaze.ratelimit.doctor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The template parameters as samconfig sets them, with the template's defaults for those it leaves out.
 * A value containing {@code REPLACE-ME} (samconfig's placeholders) counts as not set.
 */
public final class Parameters {
  /** template.yaml's defaults of the parameters the doctor reads. */
  private static final Map<String, String> DEFAULTS = Map.of(
      "CreateNatGateway", "true", "CachePort", "6379", "RedisTls", "true", "RedisClusterMode", "false",
      "RedisAuthMode", "secret");

  private final Map<String, String> values;

  public Parameters(Map<String, String> values) {
    this.values = Map.copyOf(new LinkedHashMap<>(values));
  }

  /** The value, the template's default, or empty when unset or a placeholder. */
  public Optional<String> get(String name) {
    String value = values.getOrDefault(name, DEFAULTS.get(name));
    return value == null || value.isBlank() || isPlaceholder(value) ? Optional.empty() : Optional.of(value.trim());
  }

  public boolean isPlaceholder(String value) {
    return value.contains("REPLACE-ME");
  }

  public boolean placeholder(String name) {
    String value = values.get(name);
    return value != null && isPlaceholder(value);
  }

  public boolean flag(String name) {
    return get(name).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  public int port() {
    return get("CachePort").map(Integer::parseInt).orElse(6379);
  }

  public String authMode() {
    return get("RedisAuthMode").orElse("secret");
  }

  /** FunctionSubnetIds split on commas, placeholders left out. */
  public List<String> functionSubnets() {
    return get("FunctionSubnetIds").map(v -> List.of(v.split("\\s*,\\s*"))).orElse(List.of()).stream()
        .filter(s -> !s.isBlank() && !isPlaceholder(s)).toList();
  }

  /** How to change a parameter: the samconfig.toml line to edit. */
  public static String set(String name, String value, String env) {
    return "set \"" + name + "=" + value + "\" in samconfig.toml [" + env + ".deploy.parameters] parameter_overrides";
  }
}
