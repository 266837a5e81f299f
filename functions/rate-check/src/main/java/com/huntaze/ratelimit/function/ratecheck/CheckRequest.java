package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.JsonBody;
import com.huntaze.ratelimit.function.ProblemException;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /v1/check}: {@code {"creatorId", "tier", "tokens"?, "requests"?, "requestId"?}};
 * {@code tier} names the plan. Shape and types are checked here; values (id characters, plan, cost
 * bounds) by the limiter.
 */
record CheckRequest(String creatorId, String plan, RequestCost cost, String requestId) {
  static final int MAX_BODY_BYTES = 8 * 1024;
  static final String EXAMPLE = "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"tokens\": 500}";
  private static final Set<String> FIELDS = Set.of("creatorId", "tier", "tokens", "requests", "requestId");

  static CheckRequest parse(HttpRequest request) {
    ObjectNode body = JsonBody.readObject(request.jsonBody(MAX_BODY_BYTES), EXAMPLE);
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ProblemException.badRequest("unknown-field", "unknown field '" + name + "'; a check takes creatorId,"
            + " tier, and optionally tokens, requests and requestId", name);
      }
    }
    String creatorId = requiredString(body, "creatorId");
    String plan = requiredString(body, "tier");
    long tokens = optionalWholeNumber(body, "tokens", 0, RequestCost.MAX_TOKENS);
    long requests = optionalWholeNumber(body, "requests", 1, RequestCost.MAX_REQUESTS);
    String requestId = optionalString(body, "requestId");
    return new CheckRequest(creatorId, plan, new RequestCost(requests, tokens), requestId);
  }

  private static String requiredString(JsonNode body, String field) {
    String value = optionalString(body, field);
    if (value == null) {
      throw ProblemException.badRequest("missing-field", "field '" + field + "' is required", field);
    }
    return value;
  }

  private static String optionalString(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrongType(field, "a string", value);
    }
    return value.textValue();
  }

  /** A whole number written as one (500, not 500.0 or 5e2); its range beyond a long is refused here. */
  private static long optionalWholeNumber(JsonNode body, String field, long fallback, long max) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (value.isNumber() && !value.isIntegralNumber()) {
      throw ProblemException.badRequest("wrong-type", "field '" + field + "' must be a whole number such as 500,"
          + " written without a fraction or an exponent", field);
    }
    if (!value.isIntegralNumber()) {
      throw wrongType(field, "a whole number", value);
    }
    if (!value.canConvertToLong()) {
      throw ProblemException.badRequest("invalid-field", field + " must be a whole number from 0 to " + max
          + " (got " + value.asText() + ")", field);
    }
    return value.longValue();
  }

  private static ProblemException wrongType(String field, String expected, JsonNode value) {
    return ProblemException.badRequest("wrong-type", "field '" + field + "' must be " + expected + ", not "
        + describe(value), field);
  }

  private static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    return value.isArray() ? "an array" : "an object";
  }
}
