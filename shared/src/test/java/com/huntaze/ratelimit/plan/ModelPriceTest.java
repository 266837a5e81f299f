package com.huntaze.ratelimit.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelPriceTest {
  private static final ModelPrice GPT_4O = new ModelPrice("gpt-4o", 2_500_000, 1_250_000, 10_000_000);
  private static final ModelPrice MINI = new ModelPrice("mini", 150_000, 75_000, 600_000);

  @Test
  void aCallCostsItsTokensAtTheirRatesInMicroDollars() {
    // 1,000 input at $2.50/M = 2,500 µ$; 200 cached at $1.25/M = 250 µ$; 300 output at $10/M = 3,000 µ$
    assertEquals(5_750, GPT_4O.costMicros(1_000, 200, 300));
  }

  @Test
  void aFractionOfAMicroDollarIsChargedAsAWholeOne() {
    assertEquals(1, MINI.costMicros(1, 0, 0), "0.15 µ$ rounds up, so a call is never charged less than it cost");
    assertEquals(0, MINI.costMicros(0, 0, 0));
  }

  /** Seeded: the integer cost equals the exact rational cost rounded up, for any counts a check allows. */
  @Test
  void costIsTheExactPriceRoundedUpForRandomCounts() {
    SplittableRandom random = new SplittableRandom(Long.getLong("properties.seed", 7));
    for (int i = 0; i < 10_000; i++) {
      long in = random.nextLong(10_000_001);
      long cached = random.nextLong(10_000_001);
      long out = random.nextLong(10_000_001);
      ModelPrice price = new ModelPrice("p", random.nextLong(10_000_000_001L), random.nextLong(10_000_000_001L),
          random.nextLong(10_000_000_001L));
      BigInteger exact = BigInteger.valueOf(in).multiply(BigInteger.valueOf(price.inputPerMillion()))
          .add(BigInteger.valueOf(cached).multiply(BigInteger.valueOf(price.cachedInputPerMillion())))
          .add(BigInteger.valueOf(out).multiply(BigInteger.valueOf(price.outputPerMillion())));
      BigInteger[] qr = exact.divideAndRemainder(BigInteger.valueOf(1_000_000));
      long expected = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
      assertEquals(expected, price.costMicros(in, cached, out), price + " " + in + "/" + cached + "/" + out);
    }
  }

  /** Seeded: the affordable output is the largest whose cost still fits the budget. */
  @Test
  void theAffordableOutputIsTheLargestThatFitsTheBudget() {
    SplittableRandom random = new SplittableRandom(Long.getLong("properties.seed", 11));
    for (int i = 0; i < 10_000; i++) {
      ModelPrice price = new ModelPrice("p", random.nextLong(1, 20_000_000), random.nextLong(1, 20_000_000),
          random.nextLong(1, 80_000_000));
      long budget = random.nextLong(1_000_000_000L);
      long in = random.nextLong(200_000);
      long cached = random.nextLong(200_000);
      long out = price.outputTokensAffordable(budget, in, cached);
      if (price.costMicros(in, cached, 0) > budget) {
        assertEquals(0, out);
        continue;
      }
      assertTrue(price.costMicros(in, cached, out) <= budget, "fits");
      assertTrue(price.costMicros(in, cached, out + 1) > budget, "one more does not");
    }
  }

  @Test
  void negativeCountsAndPricesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> MINI.costMicros(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ModelPrice("p", -1, 0, 0));
  }
}
