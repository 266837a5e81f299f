package com.huntaze.ratelimit;

import com.huntaze.ratelimit.redis.RedisFailure;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable answer to a settle: the adjustment made to every limit of the plan and each limit's
 * state afterwards, or Redis unavailable. A repeated settle of the same request id answers the first
 * settlement ({@link #replayed()}) and changes nothing.
 */
public final class Settlement {
  private final String creatorId;
  private final String plan;
  private final String requestId;
  private final List<Adjustment> adjustments;
  private final List<LimitState> limits;
  private final Instant reservedAt;
  private final Instant settledAt;
  private final boolean replayed;
  private final RedisFailure failure;

  private Settlement(String creatorId, String plan, String requestId, List<Adjustment> adjustments,
      List<LimitState> limits, Instant reservedAt, Instant settledAt, boolean replayed, RedisFailure failure) {
    this.creatorId = Objects.requireNonNull(creatorId);
    this.plan = Objects.requireNonNull(plan);
    this.requestId = Objects.requireNonNull(requestId);
    this.adjustments = List.copyOf(adjustments);
    this.limits = List.copyOf(limits);
    this.reservedAt = reservedAt;
    this.settledAt = settledAt;
    this.replayed = replayed;
    this.failure = failure;
  }

  static Settlement settled(String creatorId, String plan, String requestId, List<Adjustment> adjustments,
      List<LimitState> limits, Instant reservedAt, Instant settledAt, boolean replayed) {
    return new Settlement(creatorId, plan, requestId, adjustments, limits, Objects.requireNonNull(reservedAt),
        Objects.requireNonNull(settledAt), replayed, null);
  }

  static Settlement unavailable(String creatorId, String plan, String requestId, RedisFailure failure) {
    return new Settlement(creatorId, plan, requestId, List.of(), List.of(), null, null, false,
        Objects.requireNonNull(failure));
  }

  /** False only when Redis was unavailable (see {@link #failure()}); retrying with the same request id is safe. */
  public boolean settled() {
    return failure == null;
  }

  public String creatorId() {
    return creatorId;
  }

  public String plan() {
    return plan;
  }

  public String requestId() {
    return requestId;
  }

  /** Every limit of the plan, in plan order. */
  public List<Adjustment> adjustments() {
    return adjustments;
  }

  /** Every limit's state after the settlement, in plan order. */
  public List<LimitState> limits() {
    return limits;
  }

  /** Server time of the check that made the reservation. */
  public Optional<Instant> reservedAt() {
    return Optional.ofNullable(reservedAt);
  }

  /** Server time of the (first) settlement. */
  public Optional<Instant> settledAt() {
    return Optional.ofNullable(settledAt);
  }

  /** True when this answers a repeated settle: the first settlement, nothing changed now. */
  public boolean replayed() {
    return replayed;
  }

  public Optional<RedisFailure> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "Settlement{creator=" + creatorId + ", plan=" + plan + ", requestId=" + requestId
        + (replayed ? ", replayed" : "") + ", " + adjustments + failure().map(f -> ", failure=" + f).orElse("") + "}";
  }
}
