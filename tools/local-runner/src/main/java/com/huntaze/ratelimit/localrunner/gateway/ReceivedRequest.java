package com.huntaze.ratelimit.localrunner.gateway;

import java.util.List;
import java.util.Map;

/**
 * One request as read from a connection: its target already checked and split, headers under the name
 * they first arrived with (one value per header line), the body with any chunked framing removed;
 * {@code keepAlive}: whether the connection stays open after the answer.
 */
record ReceivedRequest(
    String method,
    RequestTarget target,
    Map<String, List<String>> headers,
    byte[] body,
    boolean http10,
    boolean keepAlive) {

  ReceivedRequest {
    headers = Headers.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
