package com.huntaze.ratelimit.redis;

/** A Redis operation failed; {@link #failure()} says how, for metrics and fail-open/closed choices. */
public final class RedisPortException extends RuntimeException {
  /** Why a script or function call did not run at all, so that sending it again is safe. */
  public enum NotRun {
    /** It may have run: the failure says what is known. */
    UNKNOWN,
    /** The node does not have it (NOSCRIPT, function not found): restart, failover, flush, new node. */
    NOT_LOADED,
    /** The server has no such command, or the ACL user may not send it. */
    UNSUPPORTED
  }

  private final RedisFailure failure;
  private final NotRun notRun;

  public RedisPortException(RedisFailure failure, NotRun notRun, Throwable cause) {
    super(failure.kind() + ": " + failure.message(), cause);
    this.failure = failure;
    this.notRun = notRun;
  }

  public RedisPortException(RedisFailure failure, Throwable cause) {
    this(failure, NotRun.UNKNOWN, cause);
  }

  public RedisFailure failure() {
    return failure;
  }

  /** True when the server does not have the script or function (script cache flushed, restart or failover). */
  public boolean notLoaded() {
    return notRun == NotRun.NOT_LOADED;
  }

  /** True when the server refused the command itself: it has no functions, or the ACL does not grant them. */
  public boolean unsupported() {
    return notRun == NotRun.UNSUPPORTED;
  }
}
