package com.huntaze.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.json.StrictJson;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.Unit;
import com.huntaze.ratelimit.redis.RedisPort;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Stores creators' overrides under their hash tag, as the JSON the script reads:
 * {@code {"limits": {name: amount}, "expiresAtMs", "reason", "setBy", "setAtMs"}}; checks them first.
 */
final class LimitOverrides {
  static final Duration LONGEST = Duration.ofDays(366);
  static final int MAX_REASON_LENGTH = 256;

  private final RedisPort redis;
  private final LimitScript script;
  private final PlanCatalog plans;
  private final Supplier<Instant> clock;

  LimitOverrides(RedisPort redis, LimitScript script, PlanCatalog plans, Supplier<Instant> clock) {
    this.redis = redis;
    this.script = script;
    this.plans = plans;
    this.clock = clock;
  }

  LimitOverride set(String creatorId, Map<String, Long> limits, Instant expiresAt, String reason, String setBy) {
    Inputs.creatorId(creatorId);
    Instant now = clock.get();
    validate(limits, expiresAt, reason, now);
    // kept to the millisecond, as stored
    LimitOverride override = new LimitOverride(creatorId, new TreeMap<>(limits), expiresAt.truncatedTo(ChronoUnit.MILLIS),
        reason, setBy == null || setBy.isBlank() ? "unknown" : setBy, now.truncatedTo(ChronoUnit.MILLIS));
    redis.setUntil(script.overrideKey(creatorId), write(override), expiresAt.toEpochMilli());
    return override;
  }

  Optional<LimitOverride> get(String creatorId) {
    Inputs.creatorId(creatorId);
    String stored = redis.get(script.overrideKey(creatorId));
    return stored == null ? Optional.empty() : Optional.of(read(creatorId, stored))
        .filter(o -> o.expiresAt().isAfter(clock.get()));
  }

  boolean remove(String creatorId) {
    Inputs.creatorId(creatorId);
    return redis.delete(List.of(script.overrideKey(creatorId))) > 0;
  }

  private void validate(Map<String, Long> limits, Instant expiresAt, String reason, Instant now) {
    if (limits == null || limits.isEmpty()) {
      throw new InvalidRequestException("limits", "an override names at least one limit, e.g. {\"requests-per-minute\":"
          + " 120}; known limits: " + known());
    }
    Map<String, Limit> byName = new LinkedHashMap<>();
    plans.allLimits().forEach(l -> byName.put(l.name(), l));
    for (Map.Entry<String, Long> entry : limits.entrySet()) {
      Limit limit = byName.get(entry.getKey());
      if (limit == null) {
        throw new InvalidRequestException("limits", "unknown limit '" + shown(entry.getKey()) + "'; known limits: "
            + known());
      }
      long max = limit.unit() == Unit.CONCURRENT ? PlanCatalog.MAX_CONCURRENT : PlanCatalog.MAX_AMOUNT;
      Long value = entry.getValue();
      if (value == null || value < 1 || value > max) {
        throw new InvalidRequestException("limits", "limit '" + entry.getKey() + "' must be overridden with "
            + (limit.unit() == Unit.USD ? "an amount of USD above 0 and at most " + PlanCatalog.MAX_USD
                : "a whole number from 1 to " + max) + " (got " + value + ")");
      }
    }
    if (expiresAt == null) {
      throw new InvalidRequestException("expiresAt", "expiresAt is required: an override always ends");
    }
    if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(LONGEST))) {
      throw new InvalidRequestException("expiresAt", "expiresAt " + expiresAt + " must be after now (" + now
          + ") and at most " + LONGEST.toDays() + " days ahead");
    }
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH
        || reason.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException("reason", "reason is required: 1 to " + MAX_REASON_LENGTH
          + " characters without control characters, saying why the creator gets other limits");
    }
  }

  private String known() {
    return plans.allLimits().stream().map(Limit::name).collect(Collectors.joining(", "));
  }

  private static String shown(String name) {
    return name.length() <= 64 ? name : name.substring(0, 64) + "...";
  }

  private static String write(LimitOverride o) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ObjectNode limits = node.putObject("limits");
    o.limits().forEach(limits::put);
    node.put("expiresAtMs", o.expiresAt().toEpochMilli())
        .put("reason", o.reason())
        .put("setBy", o.setBy())
        .put("setAtMs", o.setAt().toEpochMilli());
    return StrictJson.write(node);
  }

  private static LimitOverride read(String creatorId, String stored) {
    JsonNode node = StrictJson.read(stored);
    Map<String, Long> limits = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("limits").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      limits.put(e.getKey(), e.getValue().asLong());
    }
    return new LimitOverride(creatorId, limits, Instant.ofEpochMilli(node.path("expiresAtMs").asLong()),
        node.path("reason").asText(), node.path("setBy").asText(), Instant.ofEpochMilli(node.path("setAtMs").asLong()));
  }
}
