package com.huntaze.ratelimit.function.connectiontest;

/** A step found something wrong that is not a Jedis failure: an unexpected reply, unusable settings. */
final class ProbeException extends RuntimeException {
  private final ErrorKind kind;

  ProbeException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  ErrorKind kind() {
    return kind;
  }
}
