package com.huntaze.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Unit;
import com.huntaze.ratelimit.plan.Window;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionTest {
  private static final Instant NOW = Instant.parse("2025-03-14T09:26:53.589Z");

  private static final Limit RPM =
      new Limit("requests-per-minute", Unit.REQUESTS, 60, rolling("1m"), Algorithm.SLIDING_WINDOW, 60);
  private static final Limit TPM =
      new Limit("tokens-per-minute", Unit.TOKENS, 200_000, rolling("1m"), Algorithm.TOKEN_BUCKET, 200_000);
  private static final Limit RPD =
      new Limit("requests-per-day", Unit.REQUESTS, 5000, calendar("day"), Algorithm.FIXED_WINDOW, 5000);
  private static final Limit TPMO =
      new Limit("tokens-per-month", Unit.TOKENS, 20_000_000, calendar("month"), Algorithm.FIXED_WINDOW, 20_000_000);

  // --- allowed -----------------------------------------------------------------------------------

  @Test
  void allowedDecisionIsAllowedWithNoDenyingLimitAndNoRetry() {
    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(
        fitting(RPM, 59, 60_000), fitting(TPM, 199_000, 300), fitting(RPD, 4999, 3_600_000)), NOW, false);

    assertTrue(d.allowed());
    assertEquals(Decision.Outcome.ALLOWED, d.outcome());
    assertEquals(Optional.empty(), d.deniedBy());
    assertEquals(Duration.ZERO, d.retryAfter());
    assertEquals(Optional.of(NOW), d.evaluatedAt());
    assertEquals(Optional.empty(), d.failure());
    assertFalse(d.replayed());
    assertEquals("creator-1", d.creatorId());
    assertEquals("pro", d.plan());
  }

  @Test
  void limitsKeepPlanOrder() {
    List<LimitState> states = List.of(fitting(TPMO, 1, 10), fitting(RPM, 59, 10), fitting(RPD, 9, 10));

    Decision d = Decision.evaluated("creator-1", "pro", true, states, NOW, false);

    assertEquals(List.of("tokens-per-month", "requests-per-minute", "requests-per-day"),
        d.limits().stream().map(LimitState::name).toList());
  }

  @Test
  void allowedTightestIsTheLimitWithTheSmallestShareLeft() {
    LimitState rpm = fitting(RPM, 30, 30_000);            // 50 % left
    LimitState tpm = fitting(TPM, 150_000, 15_000);       // 75 % left
    LimitState rpd = fitting(RPD, 500, 7_200_000);        // 10 % left
    LimitState tpmo = fitting(TPMO, 19_000_000, 86_400_000); // 95 % left

    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(rpm, tpm, rpd, tpmo), NOW, false);

    assertSame(rpd, d.tightest().orElseThrow());
    assertEquals(5000, d.limit());
    assertEquals(500, d.remaining());
    assertEquals(Optional.of(NOW.plusMillis(7_200_000)), d.resetAt());
  }

  @Test
  void tightestComparesSharesNotAbsoluteRemaining() {
    LimitState rpm = fitting(RPM, 6, 1000);          // 6 units left, 10 % of 60
    LimitState rpd = fitting(RPD, 4, 3_600_000);     // 4 units left, but 0.08 % of 5000
    LimitState tpm = fitting(TPM, 100, 1000);        // 0.05 % of 200000: tightest

    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(rpm, rpd, tpm), NOW, false);

    assertSame(tpm, d.tightest().orElseThrow());
    assertEquals(200_000, d.limit());
    assertEquals(100, d.remaining());
  }

  @Test
  void tightestComparesTokenBucketShareAgainstItsBurstCapacity() {
    // A token bucket refilling 100 tokens a minute that holds up to 1000: 200 left is 20 % of what it can
    // hold, tighter than the sliding window's 50 %. Its share must be taken against the capacity (burst),
    // not against the per-window refill, which would count it as 200 % left.
    Limit bucket = new Limit("tokens-per-minute", Unit.TOKENS, 100, rolling("1m"), Algorithm.TOKEN_BUCKET, 1000);
    LimitState tokens = fitting(bucket, 200, 48_000);
    LimitState requests = fitting(RPM, 30, 30_000);

    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(requests, tokens), NOW, false);

    assertEquals("tokens-per-minute", d.tightest().orElseThrow().name(),
        "the bucket is 20 % full, the sliding window 50 %: the bucket is the tightest");
  }

  @Test
  void emptyAllowedDecisionHasNoTightestLimit() {
    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(), NOW, false);

    assertEquals(Optional.empty(), d.tightest());
    assertEquals(0, d.limit());
    assertEquals(0, d.remaining());
    assertEquals(Optional.empty(), d.resetAt());
  }

  // --- denied ------------------------------------------------------------------------------------

  @Test
  void deniedByIsTheNonFittingLimitThatFreesUpLast() {
    LimitState rpm = notFitting(RPM, 0, 60_000, Duration.ofSeconds(12));
    LimitState tpm = fitting(TPM, 150_000, 15_000);
    LimitState rpd = notFitting(RPD, 0, 7_200_000, Duration.ofHours(2));
    LimitState tpmo = notFitting(TPMO, 10, 86_400_000, Duration.ofMinutes(5));

    Decision d = Decision.evaluated("creator-1", "pro", false, List.of(rpm, tpm, rpd, tpmo), NOW, false);

    assertFalse(d.allowed());
    assertEquals(Decision.Outcome.DENIED, d.outcome());
    assertSame(rpd, d.deniedBy().orElseThrow());
    assertEquals(Duration.ofHours(2), d.retryAfter());
  }

  @Test
  void deniedByIgnoresLimitsThatFit() {
    // A fitting limit never denies, whatever its retryAfter says.
    LimitState rpm = notFitting(RPM, 0, 60_000, Duration.ofSeconds(3));
    LimitState odd = new LimitState(RPD, true, 10, NOW.plusSeconds(3600), Duration.ofHours(1));

    Decision d = Decision.evaluated("creator-1", "pro", false, List.of(odd, rpm), NOW, false);

    assertSame(rpm, d.deniedBy().orElseThrow());
    assertEquals(Duration.ofSeconds(3), d.retryAfter());
  }

  @Test
  void deniedTightestIsTheDenyingLimitEvenWithMoreShareLeft() {
    // The token bucket denies a large request although it still holds 40 %; the day quota has less share left.
    LimitState tpm = notFitting(TPM, 80_000, 36_000, Duration.ofSeconds(6));
    LimitState rpd = fitting(RPD, 50, 7_200_000);

    Decision d = Decision.evaluated("creator-1", "pro", false, List.of(tpm, rpd), NOW, false);

    assertSame(tpm, d.tightest().orElseThrow());
    assertEquals(200_000, d.limit());
    assertEquals(80_000, d.remaining());
    assertEquals(Optional.of(NOW.plusMillis(36_000)), d.resetAt());
    assertEquals(Duration.ofSeconds(6), d.retryAfter());
  }

  @Test
  void allowedDecisionIgnoresNonFittingFlagsForDeniedBy() {
    LimitState rpm = notFitting(RPM, 0, 60_000, Duration.ofSeconds(12));

    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(rpm), NOW, false);

    assertEquals(Optional.empty(), d.deniedBy());
    assertEquals(Duration.ZERO, d.retryAfter());
  }

  @Test
  void toStringNamesTheDenyingLimitAndRetry() {
    LimitState rpm = notFitting(RPM, 0, 60_000, Duration.ofSeconds(12));

    String text = Decision.evaluated("creator-1", "pro", false, List.of(rpm), NOW, false).toString();

    assertTrue(text.contains("DENIED"), text);
    assertTrue(text.contains("creator-1"), text);
    assertTrue(text.contains("requests-per-minute"), text);
    assertTrue(text.contains("PT12S"), text);
  }

  // --- replayed ----------------------------------------------------------------------------------

  @Test
  void replayedFlagIsCarried() {
    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(fitting(RPM, 59, 60_000)), NOW, true);

    assertTrue(d.replayed());
    assertTrue(d.toString().contains("replayed"), d.toString());
  }

  // --- unavailable -------------------------------------------------------------------------------

  @Test
  void unavailableHasNoLimitsAndCarriesTheFailure() {
    RedisFailure failure = new RedisFailure(RedisFailure.Kind.TIMEOUT, "Read timed out after 500 ms");

    Decision d = Decision.unavailable("creator-1", "pro", failure);

    assertEquals(Decision.Outcome.REDIS_UNAVAILABLE, d.outcome());
    assertFalse(d.allowed(), "an unavailable decision is not allowed");
    assertEquals(List.of(), d.limits());
    assertEquals(Optional.of(failure), d.failure());
    assertEquals(Optional.empty(), d.evaluatedAt());
    assertEquals(Optional.empty(), d.deniedBy());
    assertEquals(Duration.ZERO, d.retryAfter());
    assertEquals(Optional.empty(), d.tightest());
    assertEquals(0, d.limit());
    assertEquals(0, d.remaining());
    assertEquals(Optional.empty(), d.resetAt());
    assertFalse(d.replayed());
    assertEquals("creator-1", d.creatorId());
    assertEquals("pro", d.plan());
    assertTrue(d.toString().contains("REDIS_UNAVAILABLE"), d.toString());
    assertTrue(d.toString().contains("TIMEOUT"), d.toString());
  }

  @Test
  void unavailableRequiresAFailure() {
    assertThrows(NullPointerException.class, () -> Decision.unavailable("creator-1", "pro", null));
  }

  @Test
  void evaluatedRequiresTheEvaluationTime() {
    assertThrows(NullPointerException.class,
        () -> Decision.evaluated("creator-1", "pro", true, List.of(), null, false));
  }

  // --- immutability ------------------------------------------------------------------------------

  @Test
  void limitsListIsImmutable() {
    Decision d = Decision.evaluated("creator-1", "pro", true, List.of(fitting(RPM, 59, 60_000)), NOW, false);

    assertThrows(UnsupportedOperationException.class, () -> d.limits().add(fitting(RPD, 1, 1)));
    assertThrows(UnsupportedOperationException.class, () -> d.limits().clear());
    assertThrows(UnsupportedOperationException.class,
        () -> Decision.unavailable("c", "pro", new RedisFailure(RedisFailure.Kind.CONNECTION, null)).limits()
            .add(fitting(RPM, 1, 1)));
  }

  @Test
  void laterChangesToTheCallersListDoNotReachTheDecision() {
    List<LimitState> states = new ArrayList<>(List.of(fitting(RPM, 59, 60_000)));
    Decision d = Decision.evaluated("creator-1", "pro", true, states, NOW, false);

    states.add(fitting(RPD, 1, 1));
    states.set(0, fitting(TPM, 1, 1));

    assertEquals(1, d.limits().size());
    assertEquals("requests-per-minute", d.limits().get(0).name());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static LimitState fitting(Limit limit, long remaining, long resetAfterMillis) {
    return new LimitState(limit, true, remaining, NOW.plusMillis(resetAfterMillis), Duration.ZERO);
  }

  private static LimitState notFitting(Limit limit, long remaining, long resetAfterMillis, Duration retryAfter) {
    return new LimitState(limit, false, remaining, NOW.plusMillis(resetAfterMillis), retryAfter);
  }

  private static Window rolling(String text) {
    return Window.parseRolling(text).orElseThrow();
  }

  private static Window calendar(String text) {
    return Window.parseCalendar(text).orElseThrow();
  }
}
