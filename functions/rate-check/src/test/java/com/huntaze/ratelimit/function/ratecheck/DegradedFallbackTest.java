package com.huntaze.ratelimit.function.ratecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DegradedFallbackTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final DegradedFallback fallback = new DegradedFallback(nanos::get);

  private static Plan plan(String limits) {
    return PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": [" + limits + "]}}}", "test").plan("p").orElseThrow();
  }

  private static final Plan TEN_A_MINUTE = plan("{\"name\": \"rpm\", \"unit\": \"requests\", \"limit\": 10,"
      + " \"window\": \"1m\", \"algorithm\": \"sliding-window\"}, {\"name\": \"rpd\", \"unit\": \"requests\","
      + " \"limit\": 100000, \"window\": \"day\", \"algorithm\": \"fixed-window\"}");

  @Test
  void aCreatorGetsAMinutesWorthOfThePlansShortestRequestLimitThenItsRefill() {
    for (int i = 0; i < 10; i++) {
      assertTrue(fallback.admit("c", TEN_A_MINUTE), "request " + (i + 1));
    }
    assertFalse(fallback.admit("c", TEN_A_MINUTE));
    nanos.addAndGet(6_000_000_000L);   // a tenth of a minute refills one request
    assertTrue(fallback.admit("c", TEN_A_MINUTE));
    assertFalse(fallback.admit("c", TEN_A_MINUTE));
    assertTrue(fallback.admit("other", TEN_A_MINUTE), "creators have their own buckets");
  }

  @Test
  void theRateIsScaledToAMinuteAndDefaultsWhenThePlanCountsNoRequests() {
    assertEquals(10, DegradedFallback.perMinute(TEN_A_MINUTE));
    assertEquals(2, DegradedFallback.perMinute(plan("{\"name\": \"rph\", \"unit\": \"requests\", \"limit\": 120,"
        + " \"window\": \"1h\", \"algorithm\": \"sliding-window\"}")));
    assertEquals(1, DegradedFallback.perMinute(plan("{\"name\": \"rpd\", \"unit\": \"requests\", \"limit\": 5,"
        + " \"window\": \"day\", \"algorithm\": \"fixed-window\"}")), "at least one a minute");
    assertEquals(DegradedFallback.DEFAULT_PER_MINUTE, DegradedFallback.perMinute(plan("{\"name\": \"tpm\","
        + " \"unit\": \"tokens\", \"limit\": 5000, \"window\": \"1m\", \"algorithm\": \"sliding-window\"}")));
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentlySeenCreators() {
    for (int i = 0; i < DegradedFallback.MAX_CREATORS + 100; i++) {
      fallback.admit("creator-" + i, TEN_A_MINUTE);
    }
    assertEquals(DegradedFallback.MAX_CREATORS, fallback.creatorsKept());
  }
}
