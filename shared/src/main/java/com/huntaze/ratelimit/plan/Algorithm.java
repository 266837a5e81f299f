package com.huntaze.ratelimit.plan;

import java.util.Optional;

/** How a limit counts usage over time. */
public enum Algorithm {
  /**
   * Sliding window of 10 sub-window counters: at no instant t does the admitted cost in (t - window, t]
   * exceed the limit; it may deny up to a tenth of the window earlier than an exact log. Memory is fixed.
   */
  SLIDING_WINDOW("sliding-window"),
  /** Exact sliding log (one entry per admission, memory grows with the limit): denies exactly when exceeded. */
  SLIDING_LOG("sliding-log"),
  /** GCRA token bucket: {@code burst} units at once, refilled at {@code limit} units per window. */
  TOKEN_BUCKET("token-bucket"),
  /** Calendar windows in UTC (minute, hour, day, month): a quota that resets at the window's start. */
  FIXED_WINDOW("fixed-window"),
  /**
   * Concurrency leases (unit {@code concurrent} only): at most {@code limit} leases held at once, each
   * by one request id, freed by settle or release, and expiring after the window (the lease TTL).
   */
  LEASE("lease");

  private final String jsonName;

  Algorithm(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in plan documents and API answers. */
  public String jsonName() {
    return jsonName;
  }

  public static Optional<Algorithm> fromJsonName(String name) {
    for (Algorithm a : values()) {   // a loop, not a stream: the plan parser runs it at cold start
      if (a.jsonName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
