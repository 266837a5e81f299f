package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.JsonBody;
import com.huntaze.ratelimit.function.ProblemException;
import java.util.Iterator;
import java.util.List;

/**
 * The fields of a JSON request body, read by their shape and type (values are checked by the limiter):
 * unknown fields, wrong types and numbers that are not whole are refused in our own words.
 */
final class BodyFields {
  static final int MAX_BODY_BYTES = 8 * 1024;

  private final ObjectNode body;

  private BodyFields(ObjectNode body) {
    this.body = body;
  }

  /**
   * @param route  what the body is for, e.g. "a check", in the message about an unknown field
   * @param fields every field the body may have, in the order the message lists them
   */
  static BodyFields read(HttpRequest request, String example, String route, List<String> fields) {
    ObjectNode body = JsonBody.readObject(request.jsonBody(MAX_BODY_BYTES), example);
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw ProblemException.badRequest("unknown-field", "unknown field '" + name + "'; " + route + " takes "
            + String.join(", ", fields), name);
      }
    }
    return new BodyFields(body);
  }

  boolean has(String field) {
    JsonNode value = body.get(field);
    return value != null && !value.isNull();
  }

  /** A field that must be a JSON object, e.g. the limits of an override. */
  ObjectNode requiredObject(String field, String example) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw ProblemException.badRequest("missing-field", "field '" + field + "' is required, e.g. " + example, field);
    }
    if (!value.isObject()) {
      throw wrongType(field, "an object such as " + example, value);
    }
    return (ObjectNode) value;
  }

  String requiredString(String field) {
    String value = optionalString(field);
    if (value == null) {
      throw ProblemException.badRequest("missing-field", "field '" + field + "' is required", field);
    }
    return value;
  }

  String optionalString(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrongType(field, "a string", value);
    }
    return value.textValue();
  }

  long requiredWholeNumber(String field, long max) {
    if (!has(field)) {
      throw ProblemException.badRequest("missing-field", "field '" + field + "' is required: a whole number from 0"
          + " to " + max, field);
    }
    return optionalWholeNumber(field, 0, max);
  }

  /** A whole number written as one (500, not 500.0 or 5e2); its range beyond a long is refused here. */
  long optionalWholeNumber(String field, long fallback, long max) {
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
