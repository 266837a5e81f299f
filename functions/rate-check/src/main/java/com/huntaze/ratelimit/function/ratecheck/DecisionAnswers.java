package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Unit;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body and the rate-limit headers of a decision. Headers follow the IETF draft
 * draft-ietf-httpapi-ratelimit-headers ({@code RateLimit-Policy}, {@code RateLimit}), plus
 * {@code Retry-After} on 429 and the familiar {@code X-RateLimit-*} of the tightest limit.
 */
final class DecisionAnswers {
  private DecisionAnswers() {
  }

  /** Body of a check. */
  static ObjectNode checkBody(Decision d) {
    ObjectNode body = Json.object()
        .put("allowed", d.allowed())
        .put("creatorId", d.creatorId())
        .put("tier", d.plan());
    LimitState denying = d.deniedBy().orElse(null);
    if (denying != null) {
      body.put("deniedBy", denying.name()).put("retryAfterSeconds", seconds(d.retryAfter()));
    }
    List<LimitState> shadowDenials = d.shadowDenials();
    if (!shadowDenials.isEmpty()) {
      ArrayNode shadows = body.putArray("shadowDenied");
      for (LimitState l : shadowDenials) {
        shadows.add(l.name());
      }
    }
    body.put("replayed", d.replayed());
    body.put("degraded", false);
    body.put("maxOutputTokens", d.maxOutputTokens());
    Instant evaluatedAt = d.evaluatedAt().orElse(null);
    if (evaluatedAt != null) {
      body.put("evaluatedAt", evaluatedAt.toString());
    }
    body.set("limits", limits(d));
    return body;
  }

  /** Body of a fail-open answer: no decision from Redis, the local fallback's instead. */
  static ObjectNode degradedBody(String creatorId, String plan, RedisFailure failure, boolean admitted,
      long perMinute) {
    return Json.object()
        .put("allowed", admitted)
        .put("creatorId", creatorId)
        .put("tier", plan)
        .put("degraded", true)
        .put("reason", "Redis unavailable (" + failure.kind() + "): " + (admitted ? "allowed" : "denied")
            + " by the fail-open policy's local limit of " + perMinute + " requests a minute for this creator,"
            + " without a decision from Redis")
        .put("maxOutputTokens", 0)
        .set("limits", Json.array());
  }

  /** Body of a status call: every limit, consuming nothing. */
  static ObjectNode statusBody(Decision d) {
    ObjectNode body = Json.object()
        .put("creatorId", d.creatorId())
        .put("tier", d.plan())
        .put("maxOutputTokens", d.maxOutputTokens());
    d.evaluatedAt().ifPresent(at -> body.put("evaluatedAt", at.toString()));
    body.set("limits", limits(d));
    return body;
  }

  private static ArrayNode limits(Decision d) {
    ArrayNode limits = Json.array();
    Instant now = d.evaluatedAt().orElse(Instant.EPOCH);
    for (LimitState state : d.limits()) {
      ObjectNode node = limit(limits.addObject(), state, now).put("fits", state.fits());
      if (state.charged() > 0) {
        Money.put(node, "charged", state.limit().unit(), state.charged());
      }
    }
    return limits;
  }

  /** A limit's definition and state: money limits in USD decimal strings, a lease limit's window its lease lifetime. */
  static ObjectNode limit(ObjectNode node, LimitState state, Instant now) {
    Limit limit = state.limit();
    Unit unit = limit.unit();
    node.put("name", limit.name())
        .put("unit", unit.jsonName())
        .put("algorithm", limit.algorithm().jsonName())
        .put("window", limit.window().text());
    Money.put(node, "limit", unit, limit.limit());
    if (limit.algorithm() == Algorithm.TOKEN_BUCKET) {
      Money.put(node, "burst", unit, limit.burst());
    }
    Money.put(node, "remaining", unit, state.remaining());
    if (state.overridden()) {
      node.put("overridden", true);   // the creator's override set this limit
    }
    if (!limit.enforced()) {
      node.put("enforce", false);     // a shadow limit: counted and reported, never denying
    }
    return node.put("resetAt", state.resetAt().toString())
        .put("resetSeconds", seconds(Duration.between(now, state.resetAt())));
  }

  /** Rate-limit headers for an evaluated decision (none for an unavailable one: nothing is known). */
  static Map<String, String> headers(Decision d) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (d.limits().isEmpty()) {
      return headers;
    }
    Instant now = d.evaluatedAt().orElseThrow();
    List<LimitState> limits = d.limits();
    // Joined in loops, not streams and lambdas: this runs in the first answer, at cold start.
    StringBuilder policy = new StringBuilder();
    StringBuilder state = new StringBuilder();
    for (LimitState l : limits) {
      String separator = policy.length() == 0 ? "" : ", ";
      policy.append(separator).append(policyItem(l));
      state.append(separator).append('"').append(l.name()).append("\";r=").append(l.remaining()).append(";t=")
          .append(seconds(Duration.between(now, l.resetAt())));
    }
    headers.put("RateLimit-Policy", policy.toString());
    headers.put("RateLimit", state.toString());
    LimitState tightest = d.tightest().orElseThrow();
    headers.put("X-RateLimit-Limit", Long.toString(tightest.limit().capacity()));
    headers.put("X-RateLimit-Remaining", Long.toString(tightest.remaining()));
    headers.put("X-RateLimit-Reset", Long.toString(seconds(Duration.between(now, tightest.resetAt()))));
    if (d.outcome() == Decision.Outcome.DENIED) {
      headers.put("Retry-After", Long.toString(Math.max(1, seconds(d.retryAfter()))));
    }
    return headers;
  }

  /**
   * One policy: concurrency as the draft's {@code qu="concurrent-requests"} (no window); money in
   * micro-dollars, named by the extension parameter {@code x-unit="usd-micros"}.
   */
  private static String policyItem(LimitState state) {
    Limit limit = state.limit();
    String item = "\"" + limit.name() + "\";q=" + limit.capacity();
    return switch (limit.unit()) {
      case REQUESTS -> item + ";w=" + windowSeconds(limit);
      case TOKENS -> item + ";w=" + windowSeconds(limit) + ";qu=\"tokens\"";
      case USD -> item + ";w=" + windowSeconds(limit) + ";x-unit=\"usd-micros\"";
      case CONCURRENT -> item + ";qu=\"concurrent-requests\"";
    };
  }

  /** The window in seconds; calendar windows by their nominal length (a month counts 30 days). */
  static long windowSeconds(Limit limit) {
    if (!limit.window().isCalendar()) {
      return limit.window().duration().toSeconds();
    }
    return switch (limit.window().calendarUnit()) {
      case MINUTE -> 60;
      case HOUR -> 3_600;
      case DAY -> 86_400;
      case MONTH -> 2_592_000;
    };
  }

  /** Whole seconds, rounded up: a client that waits this long is never early. */
  static long seconds(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return 0;
    }
    long millis = d.toMillis();
    return (millis + 999) / 1000;
  }
}
