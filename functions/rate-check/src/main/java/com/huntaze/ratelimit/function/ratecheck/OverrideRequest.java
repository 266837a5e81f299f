package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.ProblemException;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.Unit;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

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
    Map<String, Long> limits = LimitAmounts.read(object, plans, "limits", OverrideRequest::amount);
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
    return LimitAmounts.units(limit, value.decimalValue(), 1).orElseThrow(() -> wrong);
  }
}
