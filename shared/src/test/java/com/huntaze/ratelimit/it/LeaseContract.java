package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.TestPlans.leases;
import static com.huntaze.ratelimit.it.TestPlans.limit;
import static com.huntaze.ratelimit.it.TestPlans.pricedPlan;
import static com.huntaze.ratelimit.it.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Adjustment;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.InvalidRequestException;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.Release;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.UsageEstimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Concurrency leases: taken by reservations, freed by settle, release or their lifetime; run against real
 * servers (standalone, cluster) by the nested classes of their contract tests.
 */
abstract class LeaseContract extends UsageFixture {
  @Test
  void aLeaseIsHeldUntilReleasedAndADeniedCheckTakesNone() {
    RateLimiter limiter = limiter(pricedPlan(leases("in-flight", 1, "5m"),
        limit("tokens-per-month", "tokens", 1_000_000, "month", "fixed-window")));
    assertTrue(limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), "first").allowed());
    Decision second = limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), "second");
    assertFalse(second.allowed());
    assertEquals("in-flight", second.deniedBy().orElseThrow().name());
    assertEquals(1_000_000 - 20, state(second.limits(), "tokens-per-month").remaining());
    assertTrue(limiter.checkCreatorRateLimit(CREATOR, "p").allowed(), "a plain check takes no lease");

    Release released = limiter.release(CREATOR, "p", "first");
    assertTrue(released.released());
    assertEquals(Release.Kind.RELEASED, released.leases().get(0).kind());
    assertEquals(1, released.leases().get(0).remaining());
    Release twice = limiter.release(CREATOR, "p", "first");
    assertFalse(twice.released());
    assertEquals(Release.Kind.ALREADY_RELEASED, twice.leases().get(0).kind());
    assertTrue(limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), "second").allowed());
    assertEquals(1_000_000 - 20 - 20, state(limiter.status(CREATOR, "p").limits(), "tokens-per-month").remaining(),
        "the released reservation stays charged at its estimate");
  }

  @Test
  void aLeaseExpiresAfterItsLifetimeSoACrashedCallerNeverLeaksASlot() {
    RateLimiter limiter = limiter(pricedPlan(leases("in-flight", 1, "2m")));
    assertTrue(limiter.check(CREATOR, "p", UsageEstimate.of(null, 10, 10), "crashed").allowed());
    assertFalse(limiter.check(CREATOR, "p", UsageEstimate.of(null, 10, 10), "next").allowed());
    clock.advance(Duration.ofMinutes(2).plusMillis(1));
    Decision next = limiter.check(CREATOR, "p", UsageEstimate.of(null, 10, 10), "next");
    assertTrue(next.allowed());
    assertEquals(1, next.expiredLeases());
    assertEquals(1, next.limit(), "a plan of leases alone sums up by its lease limit");
    Release late = limiter.release(CREATOR, "p", "crashed");
    assertEquals(Release.Kind.EXPIRED, late.leases().get(0).kind());
    assertEquals(0, late.leases().get(0).remaining(), "the late release did not free the live lease of 'next'");
    Settlement settled = limiter.settle(CREATOR, "p", "next", Usage.of(null, 10, 10));
    assertEquals(Adjustment.Kind.LEASE_RELEASED, adjustment(settled, "in-flight").kind());
    assertEquals(Release.Kind.FREED_BY_SETTLE, limiter.release(CREATOR, "p", "next").leases().get(0).kind());
  }

  @Test
  void sixteenThreadsHammeringOneCreatorNeverHoldMoreLeasesThanTheLimitAndLoseNoRefund() throws Exception {
    RateLimiter limiter = limiter(pricedPlan(leases("in-flight", 3, "5m"),
        limit("tokens-per-day", "tokens", 100_000_000, "day", "fixed-window"),
        usd("usd-per-day", "1000", "day", "fixed-window")));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicLong settledTokens = new AtomicLong();
    AtomicLong settledMicros = new AtomicLong();
    AtomicInteger deniedByLeases = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 16; w++) {
        int worker = w;
        workers.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(worker);
          for (int i = 0; i < 60; i++) {
            String id = "w" + worker + "-" + i;
            Decision d = limiter.check(CREATOR, "p", UsageEstimate.of("m", 100, 1000), id);
            if (!d.allowed()) {
              assertEquals("in-flight", d.deniedBy().orElseThrow().name());
              deniedByLeases.incrementAndGet();
              continue;
            }
            // counted after the server took the lease and uncounted before it is freed: never above the server's count
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            int output = random.nextInt(1001);
            inFlight.decrementAndGet();
            if (random.nextInt(4) == 0) {
              assertTrue(limiter.release(CREATOR, "p", id).released());
            }
            Settlement s = limiter.settle(CREATOR, "p", id, new Usage("m", 60, 40, output));
            assertTrue(s.settled(), s.toString());
            settledTokens.addAndGet(100 + output);
            settledMicros.addAndGet(60 * 2 + 40 + output * 10);
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(mostInFlight.get() <= 3, "at most 3 calls in flight, saw " + mostInFlight.get());
    assertTrue(deniedByLeases.get() > 0, "16 threads on 3 leases must meet a full limit");
    Decision after = limiter.status(CREATOR, "p");
    assertEquals(3, state(after.limits(), "in-flight").remaining(), "every lease freed");
    assertEquals(100_000_000 - settledTokens.get(), state(after.limits(), "tokens-per-day").remaining(),
        "the day holds exactly the settled usage: no refund lost, none doubled");
    assertEquals(1_000_000_000 - settledMicros.get(), state(after.limits(), "usd-per-day").remaining());
  }

  @Test
  void aReservationOnAConcurrencyPlanNeedsARequestIdAndAMoneyPlanAKnownModel() {
    RateLimiter limiter = limiter(pricedPlan(leases("in-flight", 1, "2m"), usd("usd-per-day", "1", "day", "fixed-window")));
    InvalidRequestException noId = assertThrows(InvalidRequestException.class,
        () -> limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), null));
    assertEquals("requestId", noId.field());
    InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
        () -> limiter.check(CREATOR, "p", UsageEstimate.of("gpt-9", 10, 10), "a"));
    assertEquals("model", unknown.field());
    assertTrue(unknown.getMessage().contains("known models: m, free-model"), unknown.getMessage());
    assertThrows(InvalidRequestException.class, () -> limiter.check(CREATOR, "p", UsageEstimate.of(null, 10, 10), "a"));
    assertEquals(1, limiter.status(CREATOR, "p").limits().get(0).remaining(), "nothing was charged");
  }
}
