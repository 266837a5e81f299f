package com.huntaze.ratelimit.localrunner.runtime;

import java.nio.charset.StandardCharsets;

/**
 * What an invocation returned: the function's response payload, or (functionError) the error object
 * the runtime reported, or one the runner made for a timeout, a crash or an init failure.
 */
public record InvocationResult(boolean functionError, byte[] payload) {

  public InvocationResult {
    payload = payload.clone();
  }

  static InvocationResult success(byte[] payload) {
    return new InvocationResult(false, payload);
  }

  static InvocationResult error(byte[] errorJson) {
    return new InvocationResult(true, errorJson);
  }

  static InvocationResult error(String errorType, String errorMessage) {
    return error(Json.error(errorType, errorMessage));
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
