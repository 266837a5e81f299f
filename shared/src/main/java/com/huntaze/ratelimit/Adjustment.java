package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import java.util.Objects;

/**
 * What a settle did to one limit of the plan.
 *
 * @param limit    the limit
 * @param kind     what happened
 * @param reserved what the check charged (tokens, micro-dollars, requests; 0 for a lease)
 * @param actual   the actual usage settled (equal to {@code reserved} for requests: the call was made)
 * @param applied  the change made now: negative a refund, positive an extra charge, 0 none
 */
public record Adjustment(Limit limit, Kind kind, long reserved, long actual, long applied) {
  /** What a settle did to a limit (the script's codes, in order). */
  public enum Kind {
    /** Nothing to change: the usage equals the reservation, or the limit counts requests. */
    UNCHANGED,
    /** The difference went to the window the reservation was charged in, which is still current. */
    ADJUSTED,
    /** A refund not credited: the reservation's window has ended (or the bucket has refilled). */
    REFUND_DROPPED,
    /** Part of a refund credited: the rest would raise what is left above the limit. */
    REFUND_CLAMPED,
    /** An extra charge whose reservation's window has ended, charged to the current window. */
    CHARGED_TO_CURRENT_WINDOW,
    /** The request's lease was freed. */
    LEASE_RELEASED,
    /** The request's lease had already expired. */
    LEASE_EXPIRED,
    /** The request's lease had already been released. */
    LEASE_ALREADY_RELEASED,
    /** The check did not charge this limit (it took no lease, or the limit is newer than the check). */
    NOT_RESERVED
  }

  public Adjustment {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(kind, "kind");
  }

  public String name() {
    return limit.name();
  }
}
