package com.huntaze.ratelimit.plan;

import java.util.Objects;

/**
 * A model's list price, in integer micro-dollars per million tokens (USD 2.50 per million is 2,500,000),
 * so that every cost is exact integer arithmetic: no float ever drifts a budget.
 */
public record ModelPrice(String model, long inputPerMillion, long cachedInputPerMillion, long outputPerMillion) {
  /** Micro-dollars in a dollar, and tokens in the million a price is quoted for. */
  public static final long MICROS_PER_USD = 1_000_000;
  private static final long TOKENS_PER_PRICE = 1_000_000;

  public ModelPrice {
    Objects.requireNonNull(model, "model");
    if (inputPerMillion < 0 || cachedInputPerMillion < 0 || outputPerMillion < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  /**
   * What a call costs in micro-dollars, rounded up to the next micro-dollar: a call is never charged
   * less than it cost, and at most 1 micro-dollar more. {@code inputTokens} counts the uncached input
   * only; {@code cachedInputTokens} are priced at the cached rate.
   *
   * @throws ArithmeticException only for token counts far beyond any request (the product overflows a long)
   */
  public long costMicros(long inputTokens, long cachedInputTokens, long outputTokens) {
    if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
    long microsTimesTokens = Math.addExact(Math.addExact(
        Math.multiplyExact(inputTokens, inputPerMillion),
        Math.multiplyExact(cachedInputTokens, cachedInputPerMillion)),
        Math.multiplyExact(outputTokens, outputPerMillion));
    return Math.floorDiv(microsTimesTokens + TOKENS_PER_PRICE - 1, TOKENS_PER_PRICE);
  }

  /** The most output tokens that {@code budgetMicros} pays for after the input: what a check may allow. */
  public long outputTokensAffordable(long budgetMicros, long inputTokens, long cachedInputTokens) {
    long left = Math.subtractExact(Math.multiplyExact(budgetMicros, TOKENS_PER_PRICE),
        Math.addExact(Math.multiplyExact(inputTokens, inputPerMillion),
            Math.multiplyExact(cachedInputTokens, cachedInputPerMillion)));
    if (left < 0) {
      return 0;
    }
    return outputPerMillion == 0 ? Long.MAX_VALUE : left / outputPerMillion;
  }
}
