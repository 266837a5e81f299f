package com.huntaze.ratelimit.localrunner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON mapper of the runner. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write JSON", e);
    }
  }

  static String text(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  static JsonNode parse(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  static JsonNode parseOrThrow(byte[] json) {
    try {
      return parse(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Lambda-style error object: {"errorMessage": ..., "errorType": ...}. */
  static byte[] error(String errorType, String errorMessage) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("errorMessage", errorMessage);
    error.put("errorType", errorType);
    return bytes(error);
  }
}
