package com.huntaze.ratelimit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of a carry-over of usage, before Redis is touched. */
class UsageAmountsTest {
  private static final PlanCatalog PLANS = PlanCatalog.parse("{\"plans\": {"
      + "\"pro\": {\"limits\": ["
      + "{\"name\": \"rpm\", \"unit\": \"requests\", \"limit\": 60, \"window\": \"1m\", \"algorithm\": \"sliding-window\"},"
      + "{\"name\": \"in-flight\", \"unit\": \"concurrent\", \"limit\": 3, \"window\": \"5m\"},"
      + "{\"name\": \"usd-per-month\", \"unit\": \"usd\", \"limit\": 20, \"window\": \"month\", \"algorithm\": \"fixed-window\"}]},"
      + "\"team\": {\"limits\": ["
      + "{\"name\": \"tokens-per-day\", \"unit\": \"tokens\", \"limit\": 1000, \"window\": \"day\", \"algorithm\": \"fixed-window\"}]},"
      + "\"leases-only\": {\"limits\": ["
      + "{\"name\": \"in-flight\", \"unit\": \"concurrent\", \"limit\": 1, \"window\": \"5m\"}]}},"
      + " \"models\": {\"m\": {\"inputPerMillion\": 1, \"outputPerMillion\": 1}}}", "test plans");

  private static Plan plan(String name) {
    return PLANS.plan(name).orElseThrow();
  }

  private static String refused(String plan, Map<String, Long> amounts) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> UsageAmounts.perLimit(plan(plan), amounts));
    assertEquals("usage", e.field());
    return e.getMessage();
  }

  @Test
  void namedLimitsAreSentInPlanOrderAndTheOthersAsNotNamed() {
    Map<String, Long> amounts = new LinkedHashMap<>();
    amounts.put("usd-per-month", 3_250_000L);
    amounts.put("rpm", 0L);
    assertArrayEquals(new long[] {0, UsageAmounts.NOT_NAMED, 3_250_000},
        UsageAmounts.perLimit(plan("pro"), amounts));
  }

  @Test
  void aLimitOfAnotherPlanIsNotALimitOfThisOne() {
    String message = refused("pro", Map.of("tokens-per-day", 5L));
    assertEquals("plan 'pro' has no limit 'tokens-per-day'; its limits: rpm, usd-per-month", message);
  }

  @Test
  void leasesAreNotUsage() {
    assertTrue(refused("pro", Map.of("in-flight", 1L)).contains("counts calls in flight (leases), not usage"));
    assertTrue(refused("leases-only", Map.of("in-flight", 1L)).contains("no usage to carry over"));
  }

  @Test
  void amountsAreWholeNumbersFromZeroToTheLargestAmountOfAPlan() {
    assertTrue(refused("pro", Map.of("rpm", -1L)).contains("from 0 to 1000000000000 (got -1)"));
    assertTrue(refused("pro", Map.of("rpm", PlanCatalog.MAX_AMOUNT + 1)).contains("(got 1000000000001)"));
    assertTrue(refused("pro", Map.of("usd-per-month", -1L)).contains("an amount of USD from 0 to 1000000"));
    assertEquals(PlanCatalog.MAX_AMOUNT, UsageAmounts.perLimit(plan("team"),
        Map.of("tokens-per-day", PlanCatalog.MAX_AMOUNT))[0], "clamped by the script, not refused");
  }

  @Test
  void aCarryOverNamesAtLeastOneLimit() {
    assertEquals("name at least one limit of plan 'team' with the usage to carry over, e.g. {\"tokens-per-day\": 1200};"
        + " its limits: tokens-per-day", refused("team", Map.of()));
    refused("team", null);
  }
}
