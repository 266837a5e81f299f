package com.huntaze.ratelimit.localrunner.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the local API Gateway received it, plus the facts API Gateway adds (request id,
 * time, trace id, where it was served), so an event can be built from it without a live server.
 * Header names are as received; each value list holds one entry per header line.
 */
record GatewayRequest(
    String method,
    String rawPath,
    String rawQueryString,
    Map<String, List<String>> headers,
    byte[] body,
    String sourceIp,
    String domainName,
    int port,
    String requestId,
    String traceId,
    Instant time) {

  GatewayRequest {
    rawQueryString = rawQueryString == null ? "" : rawQueryString;
    headers = Headers.copyOf(headers);
    body = body == null ? new byte[0] : body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
