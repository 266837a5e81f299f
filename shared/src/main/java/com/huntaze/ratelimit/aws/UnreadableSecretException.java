package com.huntaze.ratelimit.aws;

/** A secret could not be read: no such secret, access denied, unreachable service... Never holds the value. */
public final class UnreadableSecretException extends RuntimeException {
  public UnreadableSecretException(String reason) {
    super(reason);
  }

  public UnreadableSecretException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
