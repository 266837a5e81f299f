package com.huntaze.ratelimit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Set;

/** One limit object of a plan document, validated field by field with messages naming plan, limit and field. */
final class LimitDocument {
  private static final Set<String> FIELDS =
      Set.of("name", "unit", "limit", "window", "algorithm", "burst", "enforce", "description");

  private LimitDocument() {
  }

  static Limit parse(String source, String planName, int index, JsonNode object) {
    String at = source + ": plan '" + planName + "', limit #" + (index + 1) + ": ";
    if (!object.isObject()) {
      throw new PlanDocumentException(at + "expected an object");
    }
    String name = PlanCatalog.requiredString(at, object, "name");
    if (!PlanCatalog.NAME.matcher(name).matches()) {
      throw new PlanDocumentException(at + "field 'name': '" + name + "' must match " + PlanCatalog.NAME.pattern());
    }
    at = PlanCatalog.where(source, planName, name);
    PlanCatalog.rejectUnknownFields(at, object, FIELDS);
    String unitText = PlanCatalog.requiredString(at, object, "unit");
    Unit unit = Unit.fromJsonName(unitText).orElse(null);
    if (unit == null) {
      throw new PlanDocumentException(at + "field 'unit': '" + unitText + "' is not one of requests, tokens, usd,"
          + " concurrent");
    }
    Algorithm algorithm = algorithm(at, object, unit);
    long amount = amount(at, object, "limit", unit);
    String windowText = PlanCatalog.requiredString(at, object, "window");
    Window window = parseWindow(at, algorithm, windowText);
    long burst = amount;
    if (object.has("burst")) {
      if (algorithm != Algorithm.TOKEN_BUCKET) {
        throw new PlanDocumentException(at + "field 'burst' applies only to the token-bucket algorithm");
      }
      burst = amount(at, object, "burst", unit);
    }
    JsonNode enforce = object.get("enforce");
    if (enforce != null && !enforce.isBoolean()) {
      throw new PlanDocumentException(at + "field 'enforce' must be true or false (false: a shadow limit, counted"
          + " and reported but never denying)");
    }
    return new Limit(name, unit, amount, window, algorithm, burst, enforce == null || enforce.booleanValue());
  }

  /** Leases count calls in flight and nothing else counts them, so each implies the other. */
  private static Algorithm algorithm(String at, JsonNode object, Unit unit) {
    if (unit == Unit.CONCURRENT && !object.has("algorithm")) {
      return Algorithm.LEASE;
    }
    String text = PlanCatalog.requiredString(at, object, "algorithm");
    Algorithm algorithm = Algorithm.fromJsonName(text).orElse(null);
    if (algorithm == null) {
      throw new PlanDocumentException(at + "field 'algorithm': '" + text + "' is not one of sliding-window,"
          + " sliding-log, token-bucket, fixed-window, lease");
    }
    if ((unit == Unit.CONCURRENT) != (algorithm == Algorithm.LEASE)) {
      throw new PlanDocumentException(at + "a 'concurrent' limit uses the 'lease' algorithm (its window is how"
          + " long a lease lives), and 'lease' applies only to unit 'concurrent'");
    }
    return algorithm;
  }

  /** Whole units, or for money USD with at most 6 decimals, held as micro-dollars. */
  private static long amount(String at, JsonNode object, String field, Unit unit) {
    if (unit != Unit.USD) {
      long max = unit == Unit.CONCURRENT ? PlanCatalog.MAX_CONCURRENT : PlanCatalog.MAX_AMOUNT;
      return requiredAmount(at, object, field, max);
    }
    JsonNode value = object.get(field);
    String problem = at + "field '" + field + "' must be an amount in USD above 0 and at most " + PlanCatalog.MAX_USD
        + ", with at most 6 decimals";
    if (value == null || !value.isNumber()) {
      throw new PlanDocumentException(problem);
    }
    BigDecimal usd = value.decimalValue();
    if (usd.signum() <= 0 || usd.compareTo(BigDecimal.valueOf(PlanCatalog.MAX_USD)) > 0 || usd.stripTrailingZeros().scale() > 6) {
      throw new PlanDocumentException(problem + " (got " + usd.toPlainString() + ")");
    }
    return usd.movePointRight(6).longValueExact();
  }

  /** Plain ifs rather than orElseThrow suppliers: each lambda costs its first call at cold start. */
  private static Window parseWindow(String at, Algorithm algorithm, String text) {
    Window window = (algorithm == Algorithm.FIXED_WINDOW ? Window.parseCalendar(text) : Window.parseRolling(text))
        .orElse(null);
    if (window != null) {
      return window;
    }
    String expected = algorithm == Algorithm.LEASE ? "a lease lifetime such as 30s, 5m or 1h (at most 31d)"
        : algorithm == Algorithm.FIXED_WINDOW
            ? "a calendar window; fixed-window limits take minute, hour, day or month (UTC)"
            : "a duration such as 30s, 1m, 1h or 1d (at most 31d)";
    throw new PlanDocumentException(at + "field 'window': '" + text + "' is not " + expected);
  }

  private static long requiredAmount(String at, JsonNode object, String field, long max) {
    JsonNode value = object.get(field);
    String problem = at + "field '" + field + "' must be a whole number from 1 to " + max;
    if (value == null || !value.isNumber()) {
      throw new PlanDocumentException(problem);
    }
    BigDecimal number = value.decimalValue();
    if (number.signum() <= 0 || number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new PlanDocumentException(problem + " (got " + number.toPlainString() + ")");
    }
    return number.longValueExact();
  }
}
