package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of one limit of a plan after a check (or at a status call).
 *
 * @param limit      the limit as the plan defines it
 * @param fits       whether this limit alone would have admitted the check
 * @param remaining  units left now (after this check's consumption when it was allowed)
 * @param resetAt    when the limit is fully available again (server time)
 * @param retryAfter when this limit denied: how long until the same check would fit; zero otherwise
 * @param charged    what this check charged to the limit (tokens, micro-dollars, 1 for a lease); zero
 *                   when denied and for a status call (a replayed decision shows the first check's)
 * @param overridden whether a creator's override set the limit's amount ({@code limit} shows it)
 */
public record LimitState(Limit limit, boolean fits, long remaining, Instant resetAt, Duration retryAfter,
    long charged, boolean overridden) {
  public LimitState {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(resetAt, "resetAt");
    Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** A state that charged nothing. */
  public LimitState(Limit limit, boolean fits, long remaining, Instant resetAt, Duration retryAfter) {
    this(limit, fits, remaining, resetAt, retryAfter, 0, false);
  }

  /** True for a shadow limit that would have denied: counted, reported, never enforced. */
  public boolean shadowDenied() {
    return !fits && !limit.enforced();
  }

  public String name() {
    return limit.name();
  }
}
