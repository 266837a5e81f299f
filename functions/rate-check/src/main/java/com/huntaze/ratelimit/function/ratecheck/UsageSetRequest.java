package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.ProblemException;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.Unit;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /v1/usage/{creatorId}}: {@code {"tier", "usage": {name: amount}}}. Amounts are
 * whole units; money in USD with at most 6 decimals, as a decimal string (the way answers write money) or
 * a number (the way overrides take it). Which limits the plan has, leases and ranges are checked by the
 * limiter.
 */
record UsageSetRequest(String plan, Map<String, Long> usage) {
  static final String USAGE_EXAMPLE = "{\"tokens-per-month\": 1234567, \"usd-per-month\": \"3.250000\"}";
  static final String EXAMPLE = "{\"tier\": \"pro\", \"usage\": " + USAGE_EXAMPLE + "}";
  private static final List<String> FIELDS = List.of("tier", "usage");
  /** USD as answers write it: digits, and at most 6 decimals after a point; no sign, exponent or space. */
  private static final Pattern USD_TEXT = Pattern.compile("[0-9]{1,16}(\\.[0-9]{1,6})?");

  static UsageSetRequest parse(HttpRequest request, PlanCatalog plans) {
    BodyFields body = BodyFields.read(request, EXAMPLE, "a usage carry-over", FIELDS);
    String plan = body.requiredString("tier");
    ObjectNode object = body.requiredObject("usage", USAGE_EXAMPLE);
    Map<String, Long> usage = LimitAmounts.read(object, plans, "usage", UsageSetRequest::amount);
    return new UsageSetRequest(plan, usage);
  }

  /** Whole units, or micro-dollars from USD written with at most 6 decimals. */
  private static long amount(Limit limit, JsonNode value) {
    boolean money = limit.unit() == Unit.USD;
    String expected = money ? "an amount of USD from 0 to " + PlanCatalog.MAX_USD + " with at most 6 decimals,"
        + " written as a string such as \"3.250000\" or a number such as 3.25"
        : "a whole number from 0 to " + PlanCatalog.MAX_AMOUNT;
    ProblemException wrong = ProblemException.badRequest("invalid-field", "the usage of limit '" + limit.name()
        + "' must be " + expected, "usage");
    BigDecimal number;
    if (value.isNumber()) {
      number = value.decimalValue();
    } else if (money && value.isTextual() && USD_TEXT.matcher(value.textValue()).matches()) {
      number = new BigDecimal(value.textValue());
    } else {
      throw wrong;
    }
    return LimitAmounts.units(limit, number, 0).orElseThrow(() -> wrong);
  }
}
