package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.function.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /v1/check}: {@code {"creatorId", "tier", "tokens"?, "requests"?, "requestId"?}}.
 * Shape and types are checked here; values (id characters, plan, cost bounds) by the limiter.
 */
record CheckRequest(String creatorId, String tier, RequestCost cost, String requestId) {
  static final int MAX_BODY_BYTES = 8 * 1024;
  private static final Set<String> FIELDS = Set.of("creatorId", "tier", "tokens", "requests", "requestId");

  static CheckRequest parse(APIGatewayV2HTTPEvent event) {
    requireJsonContentType(event.getHeaders());
    JsonNode body = readBody(event);
    if (!body.isObject()) {
      throw invalid("invalid-body", "the body must be a JSON object such as "
          + "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"tokens\": 500}", null);
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw invalid("unknown-field", "unknown field '" + name + "'; a check takes creatorId, tier, and optionally"
            + " tokens, requests and requestId", name);
      }
    }
    String creatorId = requiredString(body, "creatorId");
    String tier = requiredString(body, "tier");
    long tokens = optionalWholeNumber(body, "tokens", 0);
    long requests = optionalWholeNumber(body, "requests", 1);
    String requestId = optionalString(body, "requestId");
    return new CheckRequest(creatorId, tier, new RequestCost(requests, tokens), requestId);
  }

  private static void requireJsonContentType(Map<String, String> headers) {
    if (headers == null) {
      return;
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("content-type") && header.getValue() != null) {
        String type = header.getValue().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.equals("application/json") && !type.endsWith("+json")) {
          throw new ProblemException(new Problem(415, "unsupported-media-type", "Unsupported media type",
              "send the body as application/json, not " + type, null));
        }
      }
    }
  }

  private static JsonNode readBody(APIGatewayV2HTTPEvent event) {
    String raw = event.getBody();
    if (raw == null || raw.isBlank()) {
      throw invalid("missing-body", "a JSON body is required, e.g. "
          + "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"tokens\": 500}", null);
    }
    byte[] bytes;
    if (event.getIsBase64Encoded()) {
      try {
        bytes = Base64.getDecoder().decode(raw.trim());
      } catch (IllegalArgumentException e) {
        throw invalid("malformed-body", "the body is marked base64-encoded but is not valid base64", null);
      }
    } else {
      bytes = raw.getBytes(StandardCharsets.UTF_8);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ProblemException(new Problem(413, "body-too-large", "Body too large",
          "the body is " + bytes.length + " bytes; a check body is at most " + MAX_BODY_BYTES + " bytes", null));
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw invalid("malformed-json", "the body is not valid JSON" + where + ": " + e.getOriginalMessage(), null);
    } catch (java.io.IOException e) {
      throw invalid("malformed-json", "the body is not valid JSON", null);
    }
  }

  private static String requiredString(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw invalid("missing-field", "field '" + field + "' is required", field);
    }
    if (!value.isTextual()) {
      throw invalid("wrong-type", "field '" + field + "' must be a string, not " + describe(value), field);
    }
    return value.textValue();
  }

  private static String optionalString(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid("wrong-type", "field '" + field + "' must be a string, not " + describe(value), field);
    }
    return value.textValue();
  }

  private static long optionalWholeNumber(JsonNode body, String field, long fallback) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      String what = value.isNumber() ? "the number " + value.asText() : describe(value);
      throw invalid("wrong-type", "field '" + field + "' must be a whole number, not " + what, field);
    }
    return value.longValue();
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
    if (value.isArray()) {
      return "an array";
    }
    return "an object";
  }

  static ProblemException invalid(String type, String detail, String field) {
    return new ProblemException(Problem.badRequest(type, detail, field));
  }
}
