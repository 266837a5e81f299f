package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.ModelPrice;
import com.huntaze.ratelimit.plan.Unit;

/**
 * What one check asks of the script: the charge before any output, per unit, and for a reservation the
 * range of output and its price. Built from a validated {@link RequestCost} or {@link UsageEstimate}.
 *
 * @param inputMoney  the input's cost in micro-dollars x 10^6 (tokens x price per million)
 * @param outputPrice one output token's cost in micro-dollars x 10^6 (the price per million)
 * @param maxOutput   a reservation's most output; otherwise the cap of the reported maxOutputTokens
 */
record CheckCost(long requests, long tokens, boolean reserves, long maxOutput, long minOutput, long inputMoney,
    long outputPrice, boolean takesLease) {

  static CheckCost plain(RequestCost cost) {
    return new CheckCost(cost.requests(), cost.tokens(), false, RequestCost.MAX_TOKENS, 0, 0, 0, false);
  }

  /** For settle and release, which charge from the request's record, not from a cost. */
  static CheckCost none() {
    return status(null);
  }

  /** A status: charges nothing; with a price, the reported output counts the money limits too. */
  static CheckCost status(ModelPrice price) {
    return new CheckCost(0, 0, false, RequestCost.MAX_TOKENS, 0, 0, price == null ? 0 : price.outputPerMillion(),
        false);
  }

  /** A model call: it takes a lease on every concurrency limit. {@code price} null: no money limit to price. */
  static CheckCost reservation(UsageEstimate estimate, ModelPrice price) {
    long inputMoney = price == null ? 0 : Math.multiplyExact(estimate.inputTokens(), price.inputPerMillion());
    return new CheckCost(estimate.requests(), estimate.inputTokens(), true, estimate.maxOutputTokens(),
        estimate.minOutputTokens(), inputMoney, price == null ? 0 : price.outputPerMillion(), true);
  }

  /** What the check charges a limit of this unit before any output. */
  long base(Unit unit) {
    return switch (unit) {
      case REQUESTS -> requests;
      case TOKENS -> tokens;
      case USD -> 0;
      case CONCURRENT -> takesLease ? 1 : 0;
    };
  }
}
