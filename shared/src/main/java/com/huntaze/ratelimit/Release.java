package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable answer to a release: what happened to the request's lease on every concurrency limit
 * of the plan, or Redis unavailable. Releasing changes no usage: the reservation stays charged at its
 * estimate until it is settled (a settle after a release still works) or expires.
 */
public final class Release {
  /** What a release did to one concurrency limit (the script's codes, in order). */
  public enum Kind {
    /** Not a concurrency limit. */
    NOT_A_LEASE,
    /** The lease was held by this request and is now free. */
    RELEASED,
    /** The lease had been released before: nothing changed. */
    ALREADY_RELEASED,
    /** The settle of this request freed the lease before: nothing changed. */
    FREED_BY_SETTLE,
    /** The lease had expired (or the creator's usage was reset): nothing changed. */
    EXPIRED,
    /** The check took no lease on this limit (it was not a reservation). */
    NO_LEASE
  }

  /** One concurrency limit after the release. */
  public record Lease(Limit limit, Kind kind, long remaining, Instant resetAt) {
    public Lease {
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(resetAt, "resetAt");
    }

    public String name() {
      return limit.name();
    }
  }

  private final String creatorId;
  private final String plan;
  private final String requestId;
  private final List<Lease> leases;
  private final Instant evaluatedAt;
  private final RedisFailure failure;

  private Release(String creatorId, String plan, String requestId, List<Lease> leases, Instant evaluatedAt,
      RedisFailure failure) {
    this.creatorId = Objects.requireNonNull(creatorId);
    this.plan = Objects.requireNonNull(plan);
    this.requestId = Objects.requireNonNull(requestId);
    this.leases = List.copyOf(leases);
    this.evaluatedAt = evaluatedAt;
    this.failure = failure;
  }

  static Release done(String creatorId, String plan, String requestId, List<Lease> leases, Instant at) {
    return new Release(creatorId, plan, requestId, leases, Objects.requireNonNull(at), null);
  }

  static Release unavailable(String creatorId, String plan, String requestId, RedisFailure failure) {
    return new Release(creatorId, plan, requestId, List.of(), null, Objects.requireNonNull(failure));
  }

  /** True when this call freed at least one lease; false when there was nothing (left) to free. */
  public boolean released() {
    return leases.stream().anyMatch(l -> l.kind() == Kind.RELEASED);
  }

  /** False only when Redis was unavailable; retrying a release is always safe. */
  public boolean completed() {
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

  /** Every concurrency limit of the plan, in plan order. */
  public List<Lease> leases() {
    return leases;
  }

  public Optional<Instant> evaluatedAt() {
    return Optional.ofNullable(evaluatedAt);
  }

  public Optional<RedisFailure> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "Release{creator=" + creatorId + ", plan=" + plan + ", requestId=" + requestId + ", " + leases
        + failure().map(f -> ", failure=" + f).orElse("") + "}";
  }
}
