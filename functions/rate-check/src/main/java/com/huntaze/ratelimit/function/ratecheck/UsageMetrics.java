package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.Adjustment;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.function.Telemetry;
import com.huntaze.ratelimit.plan.Unit;

/**
 * The AI-usage metrics, per plan: tokens and micro-dollars reserved, settled, refunded and overrun;
 * leases in use and expired; denials by a concurrency limit; late (expired) settles. Every token limit of
 * a reservation is charged the same tokens (and every money limit the same micro-dollars), so each
 * figure is the call's, counted once, not once per limit.
 */
final class UsageMetrics {
  private UsageMetrics() {
  }

  static void afterCheck(Telemetry.Metrics metrics, Decision decision) {
    if (decision.outcome() == Decision.Outcome.REDIS_UNAVAILABLE) {
      return;
    }
    if (decision.allowed() && !decision.replayed()) {
      LimitState tokens = first(decision, Unit.TOKENS);
      if (tokens != null && tokens.charged() > 0) {
        metrics.amount("ReservedTokens", tokens.charged());
      }
      LimitState usd = first(decision, Unit.USD);
      if (usd != null && usd.charged() > 0) {
        metrics.amount("ReservedMicroUsd", usd.charged());
      }
    }
    LimitState leases = first(decision, Unit.CONCURRENT);
    if (leases != null) {
      metrics.amount("LeasesInUse", leases.limit().limit() - leases.remaining());
    }
    if (decision.expiredLeases() > 0) {
      metrics.amount("ExpiredLeases", decision.expiredLeases());
    }
    LimitState denying = decision.deniedBy().orElse(null);
    if (denying != null && denying.limit().unit() == Unit.CONCURRENT) {
      metrics.count("DeniedByConcurrency");
    }
  }

  static void afterSettle(Telemetry.Metrics metrics, Settlement settlement) {
    if (!settlement.settled() || settlement.replayed()) {
      return;
    }
    record(metrics, settlement, Unit.TOKENS, "Tokens");
    record(metrics, settlement, Unit.USD, "MicroUsd");
  }

  private static void record(Telemetry.Metrics metrics, Settlement settlement, Unit unit, String suffix) {
    settlement.adjustments().stream()
        .filter(a -> a.limit().unit() == unit && a.kind() != Adjustment.Kind.NOT_RESERVED)
        .findFirst()
        .ifPresent(a -> {
          metrics.amount("Settled" + suffix, a.actual());
          if (a.actual() < a.reserved()) {
            metrics.amount("Refunded" + suffix, a.reserved() - a.actual());
          } else if (a.actual() > a.reserved()) {
            metrics.amount("Overrun" + suffix, a.actual() - a.reserved());
          }
        });
  }

  /** The first limit of the unit, or null; loops, not streams and lambdas: this runs in the first answer. */
  private static LimitState first(Decision decision, Unit unit) {
    for (LimitState limit : decision.limits()) {
      if (limit.limit().unit() == unit) {
        return limit;
      }
    }
    return null;
  }
}
