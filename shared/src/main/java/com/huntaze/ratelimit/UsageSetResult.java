package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable answer to a carry-over of usage ({@link RateLimiter#setUsage}): for each limit named, its
 * usage before and after, and the state of every limit of the plan afterwards; or Redis unavailable.
 */
public final class UsageSetResult {
  /**
   * One limit named by the carry-over, in the units of the limit (micro-dollars for money).
   *
   * @param limit     the limit in force (a creator's override shows in its amount)
   * @param requested the usage asked for
   * @param before    the usage of the limit's current window before the call
   * @param after     the usage afterwards: the larger of {@code before} and {@code requested}, the latter
   *                  at most the limit's capacity
   */
  public record Change(Limit limit, long requested, long before, long after) {
    public Change {
      Objects.requireNonNull(limit, "limit");
    }

    public String name() {
      return limit.name();
    }

    /** True when the call raised the usage (false: it was already at least the amount asked for, or the limit). */
    public boolean raised() {
      return after > before;
    }
  }

  private final String creatorId;
  private final String plan;
  private final List<Change> changes;
  private final Decision state;
  private final RedisFailure failure;

  private UsageSetResult(String creatorId, String plan, List<Change> changes, Decision state, RedisFailure failure) {
    this.creatorId = Objects.requireNonNull(creatorId, "creatorId");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.changes = List.copyOf(changes);
    this.state = state;
    this.failure = failure;
  }

  static UsageSetResult done(String creatorId, String plan, List<Change> changes, Decision state) {
    return new UsageSetResult(creatorId, plan, changes, Objects.requireNonNull(state, "state"), null);
  }

  static UsageSetResult unavailable(String creatorId, String plan, RedisFailure failure) {
    return new UsageSetResult(creatorId, plan, List.of(), null, Objects.requireNonNull(failure, "failure"));
  }

  /** False only when Redis was unavailable (see {@link #failure()}); repeating the call is safe. */
  public boolean done() {
    return failure == null;
  }

  public String creatorId() {
    return creatorId;
  }

  public String plan() {
    return plan;
  }

  /** The limits named, in plan order; empty when Redis was unavailable. */
  public List<Change> changes() {
    return changes;
  }

  /** The change of one named limit. */
  public Optional<Change> change(String limitName) {
    return changes.stream().filter(c -> c.name().equals(limitName)).findFirst();
  }

  /** Every limit of the plan afterwards, as a status call answers it; empty when Redis was unavailable. */
  public Optional<Decision> state() {
    return Optional.ofNullable(state);
  }

  public Optional<RedisFailure> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "UsageSetResult{creator=" + creatorId + ", plan=" + plan + ", " + changes
        + failure().map(f -> ", failure=" + f).orElse("") + "}";
  }
}
