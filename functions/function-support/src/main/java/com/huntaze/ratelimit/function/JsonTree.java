package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.json.StrictJson;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Builds the tree of one JSON text token by token, enforcing our own limits (depth, number length,
 * valid Unicode, one value) and Jackson's strict duplicate detection, so that each refusal is our own
 * sentence with its line and column.
 */
final class JsonTree {
  static final int MAX_DEPTH = 32;
  static final int MAX_NUMBER_LENGTH = 100;
  /** The parser's own number length limit is lifted: ours, far lower, is checked on each number's text. */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SHOWABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final JsonParser parser;
  private boolean valueComplete;

  private JsonTree(JsonParser parser) {
    this.parser = parser;
  }

  /** The JSON value of {@code text}, or null when it holds only white space. */
  static JsonNode read(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      return new JsonTree(parser).root();
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
  }

  private JsonNode root() throws IOException {
    try {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      JsonNode value = value(first, 1);
      valueComplete = true;
      if (parser.nextToken() != null) {
        throw syntax("more content follows the first JSON value", parser.currentTokenLocation());
      }
      return value;
    } catch (JacksonException e) {
      String repeated = StrictJson.repeatedName(e);
      if (repeated != null) {
        throw duplicate(repeated, e.getLocation());
      }
      String sentence = valueComplete ? "more content follows the first JSON value" : JsonSyntax.sentence(e);
      throw syntax(sentence, e.getLocation() != null ? e.getLocation() : parser.currentLocation());
    }
  }

  private JsonNode value(JsonToken token, int depth) throws IOException {
    switch (token) {
      case START_OBJECT:
        return object(depth);
      case START_ARRAY:
        return array(depth);
      case VALUE_STRING:
        return NODES.textNode(unicode(parser.getText()));
      case VALUE_NUMBER_INT:
        return integer();
      case VALUE_NUMBER_FLOAT:
        checkNumberLength();
        return NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw syntax("a value is missing", parser.currentTokenLocation());
    }
  }

  private ObjectNode object(int depth) throws IOException {
    checkDepth(depth);
    ObjectNode object = NODES.objectNode();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      String name = unicode(parser.currentName());
      object.set(name, value(parser.nextToken(), depth + 1));
    }
    return object;
  }

  /** Jackson found the name twice in one object; {@code where} is just after the second one. */
  private static ProblemException duplicate(String name, JsonLocation where) {
    boolean showable = SHOWABLE_NAME.matcher(name).matches();
    return new ProblemException(Problem.badRequest("malformed-json", (showable ? "field '" + name + "'" : "a field")
        + " appears twice in the body" + at(where), showable ? name : null));
  }

  private ArrayNode array(int depth) throws IOException {
    checkDepth(depth);
    ArrayNode array = NODES.arrayNode();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      array.add(value(token, depth + 1));
    }
    return array;
  }

  private JsonNode integer() throws IOException {
    checkNumberLength();
    if (parser.getText().equals("-0")) {
      throw malformed("the number -0 is not accepted (write 0)", parser.currentTokenLocation());
    }
    return switch (parser.getNumberType()) {
      case INT -> NODES.numberNode(parser.getIntValue());
      case LONG -> NODES.numberNode(parser.getLongValue());
      default -> NODES.numberNode(parser.getBigIntegerValue());
    };
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw malformed("arrays and objects are nested more than " + MAX_DEPTH + " levels deep",
          parser.currentTokenLocation());
    }
  }

  private void checkNumberLength() throws IOException {
    int length = parser.getTextLength();
    if (length > MAX_NUMBER_LENGTH) {
      throw malformed("a number is " + length + " characters long; at most " + MAX_NUMBER_LENGTH + " are accepted",
          parser.currentTokenLocation());
    }
  }

  /** Text with an unpaired surrogate (from an escape such as \ud800 alone) is not Unicode: refused. */
  private String unicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw malformed("a string holds an unpaired surrogate escape (such as \\ud800 without a low surrogate"
            + " after it), which is not Unicode text", parser.currentTokenLocation());
      }
    }
    return text;
  }

  private static ProblemException syntax(String sentence, JsonLocation where) {
    String at = where == null || where.getLineNr() < 1 ? ""
        : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    return ProblemException.badRequest("malformed-json", "the body is not valid JSON" + at + ": " + sentence, null);
  }

  static ProblemException malformed(String detail, JsonLocation where) {
    return ProblemException.badRequest("malformed-json", detail + at(where), null);
  }

  /** Where, as " (line 1, column 9)"; nothing when unknown. */
  private static String at(JsonLocation where) {
    return where == null || where.getLineNr() < 1 ? "" : " (line " + where.getLineNr() + ", column "
        + where.getColumnNr() + ")";
  }
}
