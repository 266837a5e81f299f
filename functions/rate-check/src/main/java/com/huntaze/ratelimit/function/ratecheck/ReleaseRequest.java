package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.function.HttpRequest;
import java.util.List;

/** The body of {@code POST /v1/release}: {@code {"creatorId", "tier", "requestId"}}. */
record ReleaseRequest(String creatorId, String plan, String requestId) {
  static final String EXAMPLE = "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"requestId\": \"req-7f3a\"}";
  private static final List<String> FIELDS = List.of("creatorId", "tier", "requestId");

  static ReleaseRequest parse(HttpRequest request) {
    BodyFields body = BodyFields.read(request, EXAMPLE, "a release", FIELDS);
    return new ReleaseRequest(body.requiredString("creatorId"), body.requiredString("tier"),
        body.requiredString("requestId"));
  }
}
