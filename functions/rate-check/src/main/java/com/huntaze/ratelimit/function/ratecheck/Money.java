package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.plan.Unit;
import java.math.BigDecimal;

/** Amounts in answers: money as an exact decimal string of USD ("19.998760"), every other unit as a number. */
final class Money {
  private Money() {
  }

  static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  /** Puts {@code amount} of {@code unit} under {@code field}. */
  static ObjectNode put(ObjectNode node, String field, Unit unit, long amount) {
    return unit == Unit.USD ? node.put(field, usd(amount)) : node.put(field, amount);
  }
}
