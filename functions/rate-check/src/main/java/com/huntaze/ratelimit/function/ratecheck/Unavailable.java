package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.function.Problem;
import com.huntaze.ratelimit.function.ProblemException;
import java.util.Map;

/**
 * The 503 after a Redis failure, saying only what is known. A failure to connect, authenticate or
 * shake hands happens before anything is sent, so nothing took effect. After a timeout, a broken
 * connection or an error reply, Redis may have run the script: a check may have been charged.
 */
final class Unavailable {
  private Unavailable() {
  }

  static ProblemException check(RedisFailure failure, boolean withRequestId) {
    if (nothingSent(failure)) {
      return problem(cause(failure, true) + " before the check was sent, so nothing was charged; retry shortly");
    }
    return problem(cause(failure, false) + "; Redis may have run the check, so it may have been charged. "
        + (withRequestId
            ? "Retrying with the same requestId is safe: a check that was charged is replayed, not charged again"
            : "This check had no requestId, so a retry may charge it twice; send a requestId to make retries safe"));
  }

  static ProblemException settle(RedisFailure failure) {
    if (nothingSent(failure)) {
      return problem(cause(failure, true) + " before the settle was sent, so nothing changed; retry shortly");
    }
    return problem(cause(failure, false) + "; Redis may have applied the settle. Retrying it is safe: a request id"
        + " is settled exactly once, and a repeat answers the first settlement");
  }

  static ProblemException release(RedisFailure failure) {
    return problem(cause(failure, nothingSent(failure)) + "; retrying the release is safe: it frees a lease at most"
        + " once");
  }

  static ProblemException override(RedisFailure failure) {
    return problem(cause(failure, nothingSent(failure)) + "; the override may or may not have changed, and"
        + " repeating the call is safe");
  }

  static ProblemException usageSet(RedisFailure failure) {
    if (nothingSent(failure)) {
      return problem(cause(failure, true) + " before the usage was sent, so nothing changed; retry shortly");
    }
    return problem(cause(failure, false) + "; the usage may or may not have been set, and repeating the call is"
        + " safe: it only ever raises usage up to the amounts given");
  }

  static ProblemException status(RedisFailure failure) {
    return problem(cause(failure, nothingSent(failure)) + "; a status call charges nothing, retry shortly");
  }

  static ProblemException reset(RedisFailure failure) {
    if (nothingSent(failure)) {
      return problem(cause(failure, true) + " before the reset was sent, so nothing was deleted; retry shortly");
    }
    return problem(cause(failure, false) + "; the reset may or may not have happened, and retrying it is safe");
  }

  /** Certain only for failures that happen before a command is written: TLS handshake, login, connect. */
  static boolean nothingSent(RedisFailure failure) {
    return !failure.mayHaveBeenApplied();
  }

  private static String cause(RedisFailure failure, boolean nothingSent) {
    return switch (failure.kind()) {
      case TIMEOUT -> nothingSent ? "connecting to Redis timed out (TIMEOUT)" : "Redis did not answer in time (TIMEOUT)";
      case CONNECTION -> nothingSent ? "the function could not connect to Redis (CONNECTION)"
          : "the connection to Redis failed or broke (CONNECTION)";
      case AUTH -> "Redis refused the function's credentials or permissions (AUTH)";
      case TLS -> "the TLS handshake with Redis failed (TLS)";
      case REDIS_ERROR -> "Redis answered with an error (REDIS_ERROR)";
    };
  }

  private static ProblemException problem(String detail) {
    return new ProblemException(new Problem(503, "redis-unavailable", "Rate limiter unavailable", detail, null),
        Map.of("Retry-After", "1"));
  }
}
