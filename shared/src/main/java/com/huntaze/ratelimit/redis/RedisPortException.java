package com.huntaze.ratelimit.redis;


/** A Redis operation failed; {@link #failure()} says how, for metrics and fail-open/closed choices. */
public final class RedisPortException extends RuntimeException {
  private final RedisFailure failure;
  private final boolean noScript;

  public RedisPortException(RedisFailure failure, boolean noScript, Throwable cause) {
    super(failure.kind() + ": " + failure.message(), cause);
    this.failure = failure;
    this.noScript = noScript;
  }

  public RedisFailure failure() {
    return failure;
  }

  /** True when the server answered NOSCRIPT (script cache flushed, restart or failover). */
  public boolean noScript() {
    return noScript;
  }
}
