package com.huntaze.ratelimit.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set of limits, such as "free" or "pro" (the HTTP API calls it a tier); a check consumes from all
 * of them at once.
 *
 * @param onRedisFailure what a check of this plan answers when Redis cannot be reached; null: the
 *                       deployment's setting
 */
public record Plan(String name, List<Limit> limits, FailureMode onRedisFailure) {
  public Plan {
    Objects.requireNonNull(name, "name");
    limits = List.copyOf(limits);
  }

  public Plan(String name, List<Limit> limits) {
    this(name, limits, null);
  }

  /** The plan's own failure policy, when its document sets one. */
  public Optional<FailureMode> failurePolicy() {
    return Optional.ofNullable(onRedisFailure);
  }
}
