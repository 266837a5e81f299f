package com.huntaze.ratelimit.localrunner.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON mapper of the runner. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write JSON", e);
    }
  }

  public static JsonNode parse(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** A Lambda-style error object: {"errorMessage": ..., "errorType": ...}. */
  static byte[] error(String errorType, String errorMessage) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("errorMessage", errorMessage);
    error.put("errorType", errorType);
    return bytes(error);
  }
}
