package com.huntaze.ratelimit.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Money and concurrency limits in a plan document. */
class PlanUnitsTest {
  private static Limit only(String limit) {
    return PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": [" + limit + "]}}}", "doc").plan("p").orElseThrow()
        .limits().get(0);
  }

  private static String refused(String limit) {
    return assertThrows(PlanDocumentException.class, () -> only(limit)).getMessage();
  }

  @Test
  void aMoneyLimitIsWrittenInUsdAndHeldAsMicroDollarsExactly() {
    Limit usd = only("{\"name\": \"usd-per-month\", \"unit\": \"usd\", \"limit\": 20.000001, \"window\": \"month\","
        + " \"algorithm\": \"fixed-window\"}");
    assertEquals(Unit.USD, usd.unit());
    assertEquals(20_000_001, usd.limit());
    Limit bucket = only("{\"name\": \"usd-per-hour\", \"unit\": \"usd\", \"limit\": 0.5, \"window\": \"1h\","
        + " \"algorithm\": \"token-bucket\", \"burst\": 2}");
    assertEquals(500_000, bucket.limit());
    assertEquals(2_000_000, bucket.capacity());
  }

  @Test
  void aMoneyLimitRefusesSubMicroDollarsNothingAndAbsurdAmounts() {
    for (String amount : new String[] {"0.0000001", "0", "-1", "1000001", "\"20\""}) {
      String message = refused("{\"name\": \"usd\", \"unit\": \"usd\", \"limit\": " + amount + ", \"window\": \"day\","
          + " \"algorithm\": \"fixed-window\"}");
      assertTrue(message.contains("field 'limit' must be an amount in USD above 0 and at most 1000000, with at most 6"
          + " decimals"), amount + ": " + message);
    }
  }

  @Test
  void aConcurrencyLimitHoldsLeasesForItsWindowAndNeedsNoAlgorithm() {
    Limit leases = only("{\"name\": \"in-flight\", \"unit\": \"concurrent\", \"limit\": 3, \"window\": \"5m\"}");
    assertEquals(Algorithm.LEASE, leases.algorithm());
    assertEquals(Duration.ofMinutes(5), leases.window().duration());
    assertEquals(3, leases.capacity());
  }

  @Test
  void leasesAndConcurrencyGoTogetherOnly() {
    assertTrue(refused("{\"name\": \"in-flight\", \"unit\": \"concurrent\", \"limit\": 3, \"window\": \"1m\","
        + " \"algorithm\": \"sliding-window\"}").contains("a 'concurrent' limit uses the 'lease' algorithm"));
    assertTrue(refused("{\"name\": \"t\", \"unit\": \"tokens\", \"limit\": 3, \"window\": \"1m\","
        + " \"algorithm\": \"lease\"}").contains("'lease' applies only to unit 'concurrent'"));
    assertTrue(refused("{\"name\": \"in-flight\", \"unit\": \"concurrent\", \"limit\": 3, \"window\": \"day\"}")
        .contains("is not a lease lifetime such as 30s, 5m or 1h"));
    assertTrue(refused("{\"name\": \"in-flight\", \"unit\": \"concurrent\", \"limit\": 100001, \"window\": \"5m\"}")
        .contains("must be a whole number from 1 to 100000"));
  }
}
