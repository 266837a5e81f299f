package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.TestPlans.bucket;
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
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.ReservationException;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Reserve and settle: the behaviour every Redis deployment must show, run against real servers
 * (standalone, cluster) by the nested classes of their contract tests. Model "m" of
 * {@link TestPlans#pricedPlan} costs 2 micro-dollars per input token and 10 per output token.
 */
abstract class UsageContract extends UsageFixture {
  private static final String[] EVERY_ALGORITHM = {
      limit("tokens-per-month", "tokens", 1_000_000, "month", "fixed-window"),
      bucket("tokens-per-minute", "tokens", 100_000, "1m", 100_000),
      limit("tokens-per-hour", "tokens", 1_000_000, "1h", "sliding-log"),
      usd("usd-per-month", "1", "month", "fixed-window"),
      leases("in-flight", 2, "5m")};

  @Test
  void aReservationChargesInputPlusMaxOutputAndItsPriceThenTheSettleRefundsTheDifferenceOnEveryLimit() {
    RateLimiter limiter = limiter(pricedPlan(EVERY_ALGORITHM));
    Decision reserved = limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "call-1");
    assertTrue(reserved.allowed());
    assertEquals(4000, reserved.maxOutputTokens());
    for (String tokens : new String[] {"tokens-per-month", "tokens-per-minute", "tokens-per-hour"}) {
      assertEquals(5000, state(reserved.limits(), tokens).charged(), tokens);
    }
    assertEquals(1000 * 2 + 4000 * 10, state(reserved.limits(), "usd-per-month").charged());
    assertEquals(1_000_000 - 42_000, state(reserved.limits(), "usd-per-month").remaining());
    assertEquals(1, state(reserved.limits(), "in-flight").remaining());

    Settlement settled = limiter.settle(CREATOR, "p", "call-1", Usage.of("m", 1000, 300));
    assertFalse(settled.replayed());
    assertEquals(Adjustment.Kind.ADJUSTED, adjustment(settled, "tokens-per-month").kind());
    for (String tokens : new String[] {"tokens-per-month", "tokens-per-minute", "tokens-per-hour"}) {
      Adjustment a = adjustment(settled, tokens);
      assertEquals(5000, a.reserved(), tokens);
      assertEquals(1300, a.actual(), tokens);
      assertEquals(-3700, a.applied(), tokens);
    }
    assertEquals(-37_000, adjustment(settled, "usd-per-month").applied());
    assertEquals(Adjustment.Kind.LEASE_RELEASED, adjustment(settled, "in-flight").kind());

    Decision after = limiter.status(CREATOR, "p");
    assertEquals(1_000_000 - 1300, state(after.limits(), "tokens-per-month").remaining());
    assertEquals(1_000_000 - 1300, state(after.limits(), "tokens-per-hour").remaining());
    assertEquals(100_000 - 1300, state(after.limits(), "tokens-per-minute").remaining());
    assertEquals(1_000_000 - 5000, state(after.limits(), "usd-per-month").remaining());
    assertEquals(2, state(after.limits(), "in-flight").remaining());
  }

  @Test
  void aSecondSettleOfTheSameRequestIdChangesNothingAndAnswersTheFirstSettlement() {
    RateLimiter limiter = limiter(pricedPlan(EVERY_ALGORITHM));
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "call-1");
    Settlement first = limiter.settle(CREATOR, "p", "call-1", Usage.of("m", 1000, 300));
    Decision between = limiter.status(CREATOR, "p");
    clock.advance(Duration.ofSeconds(1));
    Settlement again = limiter.settle(CREATOR, "p", "call-1", Usage.of("m", 1000, 3999));
    assertTrue(again.replayed());
    assertEquals(first.adjustments(), again.adjustments());
    Decision after = limiter.status(CREATOR, "p");
    assertEquals(state(between.limits(), "tokens-per-month").remaining(), state(after.limits(), "tokens-per-month").remaining());
    assertEquals(state(between.limits(), "usd-per-month").remaining(), state(after.limits(), "usd-per-month").remaining());
  }

  @Test
  void whenTheFullMaximumDoesNotFitTheMinimumIsAdmittedWithWhatFitsAndAnswered() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-day", "tokens", 10_000, "day", "fixed-window"),
        usd("usd-per-day", "0.05", "day", "fixed-window")));
    assertTrue(limiter.check(CREATOR, "p", new RequestCost(1, 7_000), null).allowed());
    // 3,000 tokens left; $0.05 buys (50,000 - 2 x 1,000) / 10 = 4,800 output tokens: tokens bind at 2,000
    Decision tooBig = limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "a");
    assertFalse(tooBig.allowed());
    assertEquals(2000, tooBig.maxOutputTokens());
    assertEquals("tokens-per-day", tooBig.deniedBy().orElseThrow().name());
    assertEquals(0, state(limiter.status(CREATOR, "p").limits(), "usd-per-day").charged());

    Decision reduced = limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000).withMinOutputTokens(500), "b");
    assertTrue(reduced.allowed());
    assertEquals(2000, reduced.maxOutputTokens());
    assertEquals(3000, state(reduced.limits(), "tokens-per-day").charged());
    assertEquals(0, state(reduced.limits(), "tokens-per-day").remaining());
    assertEquals(2000 + 20_000, state(reduced.limits(), "usd-per-day").charged());
  }

  @Test
  void moneyCanBindTheOutputBeforeTokensDo() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-day", "tokens", 1_000_000, "day", "fixed-window"),
        usd("usd-per-day", "0.010005", "day", "fixed-window")));
    // 10,005 micro-dollars: 2,000 for the input leaves 8,005, which buys 800 output tokens
    Decision d = limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000).withMinOutputTokens(1), "a");
    assertTrue(d.allowed());
    assertEquals(800, d.maxOutputTokens());
    assertEquals(5, state(d.limits(), "usd-per-day").remaining());
  }

  @Test
  void aPlainCheckReportsAsMaxOutputTheTokensLeftAfterItsOwnCharge() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-day", "tokens", 10_000, "day", "fixed-window")));
    Decision d = limiter.check(CREATOR, "p", RequestCost.requestWithTokens(1500), null);
    assertTrue(d.allowed());
    assertEquals(10_000 - 1500, d.maxOutputTokens());
    assertEquals(10_000 - 1500, state(d.limits(), "tokens-per-day").remaining());
  }

  @Test
  void aPlainCheckWithARequestIdCanBeSettledAndItsMoneyIsChargedThen() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-day", "tokens", 100_000, "day", "fixed-window"),
        usd("usd-per-day", "1", "day", "fixed-window")));
    Decision d = limiter.check(CREATOR, "p", RequestCost.requestWithTokens(1000), "plain-1");
    assertEquals(0, state(d.limits(), "usd-per-day").charged(), "a plain check names no model to price");
    Settlement s = limiter.settle(CREATOR, "p", "plain-1", Usage.of("m", 100, 50));
    assertEquals(Adjustment.Kind.ADJUSTED, adjustment(s, "usd-per-day").kind());
    assertEquals(100 * 2 + 50 * 10, adjustment(s, "usd-per-day").applied());
    assertEquals(-850, adjustment(s, "tokens-per-day").applied());
    assertEquals(1_000_000 - 700, state(s.limits(), "usd-per-day").remaining());
  }

  @Test
  void anExtraChargeBeyondTheLimitIsRecordedAndMakesLaterChecksDeny() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-day", "tokens", 10_000, "day", "fixed-window")));
    assertTrue(limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 1000), "a").allowed());
    Settlement s = limiter.settle(CREATOR, "p", "a", Usage.of("m", 1000, 12_000));
    assertEquals(11_000, adjustment(s, "tokens-per-day").applied());
    assertEquals(0, state(s.limits(), "tokens-per-day").remaining());
    Decision later = limiter.checkCreatorRateLimit(CREATOR, "p");
    assertFalse(later.allowed());
    assertEquals("tokens-per-day", later.deniedBy().orElseThrow().name());
  }

  @Test
  void aRefundNeverCreditsAFixedWindowThatHasEndedWhileAnExtraChargeGoesToTheCurrentOne() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-month", "tokens", 1_000_000, "month", "fixed-window")));
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "march-refund");
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "march-extra");
    clock.set("2025-04-01T00:01:00Z");   // the month rolled over between check and settle
    Settlement refund = limiter.settle(CREATOR, "p", "march-refund", Usage.of("m", 1000, 300));
    assertEquals(Adjustment.Kind.REFUND_DROPPED, adjustment(refund, "tokens-per-month").kind());
    assertEquals(0, adjustment(refund, "tokens-per-month").applied());
    assertEquals(1_000_000, state(refund.limits(), "tokens-per-month").remaining());
    Settlement extra = limiter.settle(CREATOR, "p", "march-extra", Usage.of("m", 1000, 6000));
    assertEquals(Adjustment.Kind.CHARGED_TO_CURRENT_WINDOW, adjustment(extra, "tokens-per-month").kind());
    assertEquals(2000, adjustment(extra, "tokens-per-month").applied());
    assertEquals(1_000_000 - 2000, state(limiter.status(CREATOR, "p").limits(), "tokens-per-month").remaining());
  }

  @Test
  void aSlidingWindowRefundsWhileTheEntryIsInTheWindowAndNotAfter() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-minute", "tokens", 10_000, "1m", "sliding-log")));
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "a");
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "b");
    clock.advance(Duration.ofSeconds(30));
    Settlement inWindow = limiter.settle(CREATOR, "p", "a", Usage.of("m", 1000, 0));
    assertEquals(Adjustment.Kind.ADJUSTED, adjustment(inWindow, "tokens-per-minute").kind());
    assertEquals(10_000 - 1000 - 5000, state(inWindow.limits(), "tokens-per-minute").remaining());
    clock.advance(Duration.ofSeconds(31));
    Settlement late = limiter.settle(CREATOR, "p", "b", Usage.of("m", 1000, 0));
    assertEquals(Adjustment.Kind.REFUND_DROPPED, adjustment(late, "tokens-per-minute").kind());
    assertEquals(10_000, state(late.limits(), "tokens-per-minute").remaining());
  }

  @Test
  void slidingWindowCountersRefundTheCheckSubWindowWhileItIsCountedAndNotAfter() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-minute", "tokens", 10_000, "1m", "sliding-window")));
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "a");
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "b");
    clock.advance(Duration.ofSeconds(30));
    Settlement inWindow = limiter.settle(CREATOR, "p", "a", Usage.of("m", 1000, 0));
    assertEquals(Adjustment.Kind.ADJUSTED, adjustment(inWindow, "tokens-per-minute").kind());
    assertEquals(10_000 - 1000 - 5000, state(inWindow.limits(), "tokens-per-minute").remaining());
    clock.advance(Duration.ofSeconds(37));   // past the window and the sub-window it was counted with
    Settlement late = limiter.settle(CREATOR, "p", "b", Usage.of("m", 1000, 0));
    assertEquals(Adjustment.Kind.REFUND_DROPPED, adjustment(late, "tokens-per-minute").kind());
    assertEquals(10_000, state(late.limits(), "tokens-per-minute").remaining());
  }

  @Test
  void slidingEntriesChangedBySettlesStayDistinctFromLaterEntriesOfTheSameMicrosecond() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-minute", "tokens", 100, "1m", "sliding-log")));
    limiter.check(CREATOR, "p", new RequestCost(1, 5), "a");
    limiter.check(CREATOR, "p", new RequestCost(1, 3), "b");
    limiter.settle(CREATOR, "p", "a", Usage.of(null, 2, 0));        // 5 -> 2: 5 used
    limiter.check(CREATOR, "p", new RequestCost(1, 3), "c");          // 8 used again, same instant as b
    assertEquals(92, state(limiter.status(CREATOR, "p").limits(), "tokens-per-minute").remaining());
    clock.advance(Duration.ofSeconds(61));
    assertEquals(100, state(limiter.status(CREATOR, "p").limits(), "tokens-per-minute").remaining(),
        "every entry left the window, none was lost to another with the same name");
  }

  @Test
  void aBucketRefundGivesBackOnlyWhatHasNotRefilledSoItNeverExceedsItsCapacity() {
    RateLimiter limiter = limiter(pricedPlan(bucket("tokens-per-minute", "tokens", 60_000, "1m", 60_000)));
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 0, 6000), "a");   // 6 s of refill
    clock.advance(Duration.ofSeconds(4));                                  // 4,000 refilled, 2,000 outstanding
    Settlement s = limiter.settle(CREATOR, "p", "a", Usage.of("m", 0, 0));
    assertEquals(Adjustment.Kind.REFUND_CLAMPED, adjustment(s, "tokens-per-minute").kind());
    assertEquals(-2000, adjustment(s, "tokens-per-minute").applied());
    assertEquals(60_000, state(s.limits(), "tokens-per-minute").remaining());
  }

  @Test
  void aReservationNeverSettledStaysChargedAndALateSettleIsRefusedChangingNothing() {
    RateLimiter limiter = limiter(pricedPlan(limit("tokens-per-month", "tokens", 1_000_000, "month", "fixed-window")));
    clock.set("2025-03-10T12:00:00Z");
    limiter.check(CREATOR, "p", UsageEstimate.of("m", 1000, 4000), "slow");
    clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    ReservationException late = assertThrows(ReservationException.class,
        () -> limiter.settle(CREATOR, "p", "slow", Usage.of("m", 1000, 10)));
    assertEquals(ReservationException.Reason.EXPIRED, late.reason());
    assertEquals(1_000_000 - 5000, state(limiter.status(CREATOR, "p").limits(), "tokens-per-month").remaining());
  }

  @Test
  void aRequestIdIsBoundToItsCreatorAndPlan() {
    PlanCatalog twoPlans = PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": [" + EVERY_ALGORITHM[0] + "]},"
        + " \"q\": {\"limits\": [" + limit("tokens-per-day", "tokens", 1_000_000, "day", "fixed-window")
        + "]}}}", "two plans");
    RateLimiter limiter = limiter(twoPlans);
    limiter.check(CREATOR, "p", UsageEstimate.of(null, 1000, 4000), "call-1");
    ReservationException otherPlan = assertThrows(ReservationException.class,
        () -> limiter.settle(CREATOR, "q", "call-1", Usage.of(null, 1, 1)));
    assertEquals(ReservationException.Reason.OTHER_PLAN, otherPlan.reason());
    ReservationException otherCreator = assertThrows(ReservationException.class,
        () -> limiter.settle("creator-456", "p", "call-1", Usage.of(null, 1, 1)));
    assertEquals(ReservationException.Reason.UNKNOWN, otherCreator.reason());
    assertEquals(ReservationException.Reason.OTHER_PLAN, assertThrows(ReservationException.class,
        () -> limiter.check(CREATOR, "q", UsageEstimate.of(null, 1, 1), "call-1")).reason());
    assertEquals(1_000_000 - 5000, state(limiter.status(CREATOR, "p").limits(), "tokens-per-month").remaining());
    assertEquals(1_000_000, state(limiter.status(CREATOR, "q").limits(), "tokens-per-day").remaining());
  }

}
