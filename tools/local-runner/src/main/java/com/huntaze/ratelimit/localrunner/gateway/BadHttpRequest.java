package com.huntaze.ratelimit.localrunner.gateway;

/**
 * A request that cannot be read as HTTP/1.1 (or is larger than API Gateway takes): answered with
 * {@link #status()} and API Gateway's JSON message, and the connection closed. The message is for the
 * runner's log, never for the response.
 */
final class BadHttpRequest extends Exception {
  static final int BAD_REQUEST = 400;
  static final int PAYLOAD_TOO_LARGE = 413;

  private final int status;

  BadHttpRequest(String reason) {
    this(BAD_REQUEST, reason);
  }

  BadHttpRequest(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
