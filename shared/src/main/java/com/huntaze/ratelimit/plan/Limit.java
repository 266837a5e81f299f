package com.huntaze.ratelimit.plan;

import java.util.Objects;

/**
 * One limit of a plan, immutable.
 *
 * @param name      key-safe name, shared by every plan that has this limit (usage carries over when a
 *                  creator changes plan)
 * @param unit      what it counts
 * @param limit     units allowed per window (token bucket: refill per window)
 * @param window    rolling duration, or calendar unit for fixed windows
 * @param algorithm how usage is counted over time
 * @param burst     token bucket capacity (units that may be spent at once); equals {@code limit} for
 *                  the other algorithms
 * @param enforced  false for a shadow limit ({@code "enforce": false}): evaluated and counted, never denying
 */
public record Limit(String name, Unit unit, long limit, Window window, Algorithm algorithm, long burst,
    boolean enforced) {
  public Limit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(algorithm, "algorithm");
  }

  /** An enforced limit. */
  public Limit(String name, Unit unit, long limit, Window window, Algorithm algorithm, long burst) {
    this(name, unit, limit, window, algorithm, burst, true);
  }

  /** The same limit with another amount, as a creator's override sets it (a bucket's capacity too). */
  public Limit withAmount(long amount) {
    return new Limit(name, unit, amount, window, algorithm, amount, enforced);
  }

  /** The most one check can ever be admitted for: the bucket's capacity, else the limit itself. */
  public long capacity() {
    return algorithm == Algorithm.TOKEN_BUCKET ? burst : limit;
  }

  /** True when both limits count the same thing the same way (only the amounts may differ). */
  public boolean sameMeasureAs(Limit other) {
    return unit == other.unit && algorithm == other.algorithm && window.equals(other.window);
  }
}
