package com.huntaze.ratelimit;

import com.huntaze.ratelimit.redis.RedisFailure;
import java.util.Objects;
import java.util.Optional;

/** The answer to a reset: how many of the creator's keys existed, or why Redis could not be reached. */
public final class ResetResult {
  private final String creatorId;
  private final long keysDeleted;
  private final RedisFailure failure;

  private ResetResult(String creatorId, long keysDeleted, RedisFailure failure) {
    this.creatorId = Objects.requireNonNull(creatorId, "creatorId");
    this.keysDeleted = keysDeleted;
    this.failure = failure;
  }

  public static ResetResult done(String creatorId, long keysDeleted) {
    return new ResetResult(creatorId, keysDeleted, null);
  }

  public static ResetResult unavailable(String creatorId, RedisFailure failure) {
    return new ResetResult(creatorId, 0, Objects.requireNonNull(failure, "failure"));
  }

  public String creatorId() {
    return creatorId;
  }

  /** True when Redis deleted the keys (none may have existed). */
  public boolean done() {
    return failure == null;
  }

  /** How many keys existed and were deleted; 0 when Redis was unavailable. */
  public long keysDeleted() {
    return keysDeleted;
  }

  public Optional<RedisFailure> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "ResetResult{creator=" + creatorId + (done() ? ", keysDeleted=" + keysDeleted : ", failure=" + failure) + "}";
  }
}
