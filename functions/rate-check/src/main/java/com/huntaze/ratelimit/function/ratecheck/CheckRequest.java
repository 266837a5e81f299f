package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.ProblemException;
import java.util.List;

/**
 * The body of {@code POST /v1/check}: {@code {"creatorId", "tier", "requestId"?, "requests"?}} and either
 * the plain {@code "tokens"?} estimate or a model call's reservation {@code "model"?, "inputTokens"?,
 * "maxOutputTokens"?, "minOutputTokens"?}; {@code tier} names the plan. Shape and types are checked
 * here; values (id characters, plan, model, bounds) by the limiter.
 *
 * @param cost     the plain cost, when the body reserves nothing
 * @param estimate the reservation, when the body names any of its fields
 */
record CheckRequest(String creatorId, String plan, RequestCost cost, UsageEstimate estimate, String requestId) {
  static final String EXAMPLE = "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"requestId\": \"req-7f3a\","
      + " \"model\": \"gpt-4o\", \"inputTokens\": 1200, \"maxOutputTokens\": 4000}";
  private static final List<String> RESERVATION = List.of("model", "inputTokens", "maxOutputTokens", "minOutputTokens");
  private static final List<String> FIELDS = List.of("creatorId", "tier", "requestId", "requests", "tokens", "model",
      "inputTokens", "maxOutputTokens", "minOutputTokens");

  /** Whether the body gives any field of a reservation (a loop, not a stream: it runs in the first check). */
  private static boolean reservation(BodyFields body) {
    for (String field : RESERVATION) {
      if (body.has(field)) {
        return true;
      }
    }
    return false;
  }

  static CheckRequest parse(HttpRequest request) {
    BodyFields body = BodyFields.read(request, EXAMPLE, "a check", FIELDS);
    String creatorId = body.requiredString("creatorId");
    String plan = body.requiredString("tier");
    String requestId = body.optionalString("requestId");
    long requests = body.optionalWholeNumber("requests", 1, RequestCost.MAX_REQUESTS);
    if (!reservation(body)) {
      long tokens = body.optionalWholeNumber("tokens", 0, RequestCost.MAX_TOKENS);
      return new CheckRequest(creatorId, plan, new RequestCost(requests, tokens), null, requestId);
    }
    if (body.has("tokens")) {
      throw ProblemException.badRequest("conflicting-fields", "field 'tokens' is a plain total estimate; a"
          + " reservation gives inputTokens and maxOutputTokens instead, so send one or the other", "tokens");
    }
    String model = body.optionalString("model");
    long input = body.optionalWholeNumber("inputTokens", 0, RequestCost.MAX_TOKENS);
    long maxOutput = body.optionalWholeNumber("maxOutputTokens", 0, RequestCost.MAX_TOKENS);
    long minOutput = body.optionalWholeNumber("minOutputTokens", maxOutput, RequestCost.MAX_TOKENS);
    return new CheckRequest(creatorId, plan, null, new UsageEstimate(model, input, maxOutput, minOutput, requests),
        requestId);
  }
}
