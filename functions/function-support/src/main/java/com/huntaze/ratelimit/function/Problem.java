package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An RFC 9457 problem: what went wrong, for a person who can act on it. {@code type} is a short slug
 * turned into {@code urn:problem:rate-limiter:<slug>}; {@code field} names the input at fault, if any.
 */
public record Problem(int status, String type, String title, String detail, String field) {
  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
  }

  public static Problem badRequest(String type, String detail, String field) {
    return new Problem(400, type, "Invalid request", detail, field);
  }

  public ObjectNode toJson(String instance) {
    ObjectNode body = Json.object()
        .put("type", "urn:problem:rate-limiter:" + type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    if (field != null) {
      body.put("field", field);
    }
    if (instance != null) {
      body.put("instance", instance);
    }
    return body;
  }
}
