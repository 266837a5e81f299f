package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.InvalidRequestException;
import com.huntaze.ratelimit.ReservationException;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.UnknownPlanException;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.ProblemException;
import java.util.function.Supplier;

/** What every route does around a limiter call: refused input is a 400; Redis time and failures are recorded. */
final class LimiterCalls {
  private LimiterCalls() {
  }

  /** Runs the call, recording how long Redis took as metric {@code RedisLatency} and log field {@code redisLatencyMs}. */
  static <T> T timed(Invocation invocation, Supplier<T> call) {
    long start = System.nanoTime();
    T result;
    try {
      result = call.get();
    } catch (UnknownPlanException e) {
      throw ProblemException.badRequest("unknown-plan", e.getMessage(), e.field());
    } catch (ReservationException e) {
      if (e.reason() == ReservationException.Reason.EXPIRED) {
        invocation.metrics().count("ExpiredReservations");
      }
      throw ProblemException.badRequest(switch (e.reason()) {
        case UNKNOWN -> "unknown-reservation";
        case EXPIRED -> "reservation-expired";
        case OTHER_PLAN -> "request-id-of-another-plan";
      }, e.getMessage(), e.field());
    } catch (InvalidRequestException e) {
      // a model the plan's prices cannot price (unknown, missing on a money plan) has its own type
      String type = "model".equals(e.field()) ? "invalid-model" : "invalid-field";
      throw ProblemException.badRequest(type, e.getMessage(), e.field());
    }
    double millis = (System.nanoTime() - start) / 1e6;
    invocation.metrics().millis("RedisLatency", millis);
    invocation.log().put("redisLatencyMs", millis);
    return result;
  }

  /**
   * Counts and logs a Redis failure, with the client's message in the log only (it holds no secret);
   * {@code decision} is what the route does about it.
   */
  static void failed(Invocation invocation, RedisFailure failure, String decision) {
    invocation.metrics().count("RedisErrors").property("redisErrorKind", failure.kind().name());
    invocation.log().level("WARN").put("decision", decision).put("errorKind", failure.kind().name())
        .put("error", failure.message());
  }
}
