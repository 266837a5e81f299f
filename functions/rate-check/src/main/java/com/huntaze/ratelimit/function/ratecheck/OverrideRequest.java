package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.ProblemException;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.Unit;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The body of {@code PUT /v1/overrides/{creatorId}}: {@code {"limits": {name: amount}, "expiresAt", "reason"}}.
 * Amounts are whole units, money limits in USD (at most 6 decimals); ranges, expiry and reason are
 * checked by the limiter.
 */
record OverrideRequest(Map<String, Long> limits, Instant expiresAt, String reason) {
  static final String LIMITS_EXAMPLE = "{\"tokens-per-month\": 50000000, \"requests-per-minute\": 120}";
  static final String EXAMPLE = "{\"limits\": " + LIMITS_EXAMPLE + ", \"expiresAt\": \"2027-01-31T00:00:00Z\","
      + " \"reason\": \"campaign\"}";
  private static final List<String> FIELDS = List.of("limits", "expiresAt", "reason");

  static OverrideRequest parse(HttpRequest request, PlanCatalog plans) {
    BodyFields body = BodyFields.read(request, EXAMPLE, "an override", FIELDS);
    ObjectNode object = body.requiredObject("limits", LIMITS_EXAMPLE);
    Map<String, Limit> known = new LinkedHashMap<>();
    plans.allLimits().forEach(l -> known.put(l.name(), l));
    Map<String, Long> limits = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Limit limit = known.get(entry.getKey());
      if (limit == null) {
        throw ProblemException.badRequest("invalid-field", "unknown limit '" + shown(entry.getKey())
            + "'; known limits: " + known.keySet().stream().collect(Collectors.joining(", ")), "limits");
      }
      limits.put(entry.getKey(), amount(limit, entry.getValue()));
    }
    String expiresAt = body.requiredString("expiresAt");
    Instant expiry;
    try {
      expiry = Instant.parse(expiresAt);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-field", "expiresAt must be a UTC time such as 2027-01-31T00:00:00Z",
          "expiresAt");
    }
    return new OverrideRequest(limits, expiry, body.requiredString("reason"));
  }

  /** Whole units, or micro-dollars from USD written with at most 6 decimals. */
  private static long amount(Limit limit, JsonNode value) {
    boolean money = limit.unit() == Unit.USD;
    String expected = money ? "an amount in USD above 0 and at most " + PlanCatalog.MAX_USD + " with at most 6 decimals"
        : "a whole number from 1 to " + (limit.unit() == Unit.CONCURRENT ? PlanCatalog.MAX_CONCURRENT : PlanCatalog.MAX_AMOUNT);
    ProblemException wrong = ProblemException.badRequest("invalid-field", "limit '" + limit.name() + "' must be "
        + "overridden with " + expected, "limits");
    if (!value.isNumber()) {
      throw wrong;
    }
    BigDecimal number = value.decimalValue();
    BigDecimal units = money ? number.movePointRight(6) : number;
    if (units.signum() <= 0 || units.stripTrailingZeros().scale() > 0
        || units.compareTo(BigDecimal.valueOf(PlanCatalog.MAX_AMOUNT)) > 0) {
      throw wrong;
    }
    return units.longValueExact();
  }

  private static String shown(String name) {
    return name.length() <= 64 ? name : name.substring(0, 64) + "...";
  }
}
