package com.huntaze.ratelimit.function.ratecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import com.huntaze.ratelimit.function.ProblemException;
import org.junit.jupiter.api.Test;

/**
 * The 503's wording: "nothing was charged" only when no command can have reached Redis (which the
 * Redis adapter decides: JedisRedisPortTest).
 */
class UnavailableTest {
  private static String check(Kind kind, String message, boolean sent, boolean withRequestId) {
    ProblemException e = Unavailable.check(new RedisFailure(kind, message, sent), withRequestId);
    assertEquals(503, e.problem().status());
    assertEquals("1", e.headers().get("Retry-After"));
    return e.problem().detail();
  }

  @Test
  void failuresBeforeAnyCommandWasSentChargedNothing() {
    String[][] before = {
        {"CONNECTION", "Failed to connect to any host resolved for DNS name.: Connection refused"},
        {"TIMEOUT", "Failed to connect to 10.0.0.7:6379: Connect timed out"},
        {"CONNECTION", "Could not get a resource from the pool: Connection refused"},
        {"AUTH", "WRONGPASS invalid username-password pair or user is disabled."},
        {"AUTH", "NOAUTH Authentication required."},
        {"TLS", "PKIX path building failed"}};
    for (String[] failure : before) {
      String detail = check(Kind.valueOf(failure[0]), failure[1], false, false);
      assertTrue(detail.contains("(" + failure[0] + ") before the check was sent, so nothing was charged"), detail);
      assertFalse(detail.contains("may"), detail);
    }
  }

  @Test
  void afterSendingTheCheckMayHaveBeenChargedAndOnlyARequestIdMakesARetrySafe() {
    String[][] after = {
        {"TIMEOUT", "Read timed out"},
        {"CONNECTION", "Unexpected end of stream."},
        {"CONNECTION", "No more cluster attempts left."},
        {"REDIS_ERROR", "ERR Error running script: OOM command not allowed"},
        {"AUTH", "NOPERM this user has no permissions to run the 'zadd' command"}};
    for (String[] failure : after) {
      Kind kind = Kind.valueOf(failure[0]);
      String withId = check(kind, failure[1], true, true);
      assertTrue(withId.contains("(" + failure[0] + "); Redis may have run the check, so it may have been charged."),
          withId);
      assertTrue(withId.endsWith("Retrying with the same requestId is safe: a check that was charged is replayed,"
          + " not charged again"), withId);
      assertTrue(check(kind, failure[1], true, false).endsWith("This check had no requestId, so a retry may charge it"
          + " twice; send a requestId to make retries safe"));
    }
    assertTrue(check(Kind.CONNECTION, "Unexpected end of stream.", true, true)
        .startsWith("the connection to Redis failed or broke (CONNECTION)"));
  }

  @Test
  void aStatusChargesNothingAndAResetMayHaveHappened() {
    RedisFailure timeout = new RedisFailure(Kind.TIMEOUT, "Read timed out");
    assertEquals("Redis did not answer in time (TIMEOUT); a status call charges nothing, retry shortly",
        Unavailable.status(timeout).problem().detail());
    assertEquals("Redis did not answer in time (TIMEOUT); the reset may or may not have happened, and retrying it"
        + " is safe", Unavailable.reset(timeout).problem().detail());
    assertEquals("the TLS handshake with Redis failed (TLS) before the reset was sent, so nothing was deleted; retry"
        + " shortly", Unavailable.reset(new RedisFailure(Kind.TLS, "handshake")).problem().detail());
  }

  @Test
  void aCarryOverOfUsageThatMayHaveRunIsSafeToRepeat() {
    assertEquals("Redis did not answer in time (TIMEOUT); the usage may or may not have been set, and repeating the"
        + " call is safe: it only ever raises usage up to the amounts given",
        Unavailable.usageSet(new RedisFailure(Kind.TIMEOUT, "Read timed out")).problem().detail());
    assertEquals("Redis refused the function's credentials or permissions (AUTH) before the usage was sent, so"
        + " nothing changed; retry shortly",
        Unavailable.usageSet(new RedisFailure(Kind.AUTH, "WRONGPASS", false)).problem().detail());
  }
}
