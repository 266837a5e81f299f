package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.ProblemException;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.Unit;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * A body's {@code {limit name: amount}} object, as the overrides and the usage carry-over take it: every name
 * a limit of some plan, every amount read by the route's own rule into whole units (micro-dollars for money).
 */
final class LimitAmounts {
  private LimitAmounts() {
  }

  /** @param field the body field holding the object, named by the problem an unknown limit gets */
  static Map<String, Long> read(ObjectNode object, PlanCatalog plans, String field,
      BiFunction<Limit, JsonNode, Long> amount) {
    Map<String, Limit> known = new LinkedHashMap<>();
    plans.allLimits().forEach(l -> known.put(l.name(), l));
    Map<String, Long> amounts = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Limit limit = known.get(entry.getKey());
      if (limit == null) {
        throw ProblemException.badRequest("invalid-field", "unknown limit '" + shown(entry.getKey())
            + "'; known limits: " + String.join(", ", known.keySet()), field);
      }
      amounts.put(entry.getKey(), amount.apply(limit, entry.getValue()));
    }
    return amounts;
  }

  /**
   * {@code number} in the limit's units: micro-dollars of USD (at most 6 decimals), whole units otherwise;
   * empty when it is not whole, below {@code minimum} or beyond {@link PlanCatalog#MAX_AMOUNT}.
   */
  static OptionalLong units(Limit limit, BigDecimal number, long minimum) {
    BigDecimal units = limit.unit() == Unit.USD ? number.movePointRight(6) : number;
    if (units.stripTrailingZeros().scale() > 0 || units.compareTo(BigDecimal.valueOf(minimum)) < 0
        || units.compareTo(BigDecimal.valueOf(PlanCatalog.MAX_AMOUNT)) > 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(units.longValueExact());
  }

  private static String shown(String name) {
    return name.length() <= 64 ? name : name.substring(0, 64) + "...";
  }
}
