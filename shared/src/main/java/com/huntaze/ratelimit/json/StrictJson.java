package com.huntaze.ratelimit.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * The product's strict JSON reading: a repeated name, content after the document, comments, single
 * quotes, NaN and the like are errors; decimals are read exactly. An error says what and where in our
 * own words: never the parser's text, which may quote the input (a secret, say) or name its internals.
 *
 * <p>Trees are built and written token by token on Jackson's streaming parser and generator: the same
 * trees an ObjectMapper reads with FAIL_ON_TRAILING_TOKENS and USE_BIG_DECIMAL_FOR_FLOATS (decimals
 * without trailing zeros, as its node reader stores them), and the same text it writes, without the
 * several hundred classes of its binding machinery that building one loads at init.
 */
public final class StrictJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrictJson() {
  }

  /**
   * The tree of {@code json}; a {@link MissingNode} when it holds only white space.
   *
   * @throws InvalidJsonException saying what is wrong and where, never quoting the input
   */
  public static JsonNode read(String json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return MissingNode.getInstance();
      }
      JsonNode value = value(parser, first);
      if (parser.nextToken() != null) {
        throw new InvalidJsonException("not valid JSON" + where(parser.currentTokenLocation()), false);
      }
      return value;
    } catch (JacksonException e) {
      throw describe(e);
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
  }

  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        ObjectNode object = NODES.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          object.set(name, value(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY: {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t));
        }
        return array;
      }
      case VALUE_STRING:
        return NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT: {
        BigDecimal decimal = parser.getDecimalValue();
        return DecimalNode.valueOf(decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros());
      }
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IllegalStateException("the parser gave " + token + " where a value starts");
    }
  }

  /** A tree the product built itself, as compact JSON text. */
  public static String write(JsonNode tree) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      write(json, tree);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator json, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        json.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> member = it.next();
          json.writeFieldName(member.getKey());
          write(json, member.getValue());
        }
        json.writeEndObject();
      }
      case ARRAY -> {
        json.writeStartArray();
        for (JsonNode element : node) {
          write(json, element);
        }
        json.writeEndArray();
      }
      case STRING -> json.writeString(node.textValue());
      case BOOLEAN -> json.writeBoolean(node.booleanValue());
      case NULL -> json.writeNull();
      case NUMBER -> writeNumber(json, node);
      case BINARY -> json.writeBinary(node.binaryValue());
      default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
    }
  }

  private static void writeNumber(JsonGenerator json, JsonNode number) throws IOException {
    switch (number.numberType()) {
      case INT -> json.writeNumber(number.intValue());
      case LONG -> json.writeNumber(number.longValue());
      case BIG_INTEGER -> json.writeNumber(number.bigIntegerValue());
      case FLOAT -> json.writeNumber(number.floatValue());
      case DOUBLE -> json.writeNumber(number.doubleValue());
      case BIG_DECIMAL -> json.writeNumber(number.decimalValue());
      default -> throw new IllegalArgumentException("cannot write the number " + number);
    }
  }

  /** Our own sentence for a parser error: a repeated name and its path, or the line and column. */
  public static InvalidJsonException describe(JacksonException e) {
    String duplicate = duplicateName(e);
    String where = where(e.getLocation());
    return new InvalidJsonException(duplicate != null ? duplicate + where : "not valid JSON" + where, duplicate != null);
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** "the name 'x' appears twice in $.a.b" when the parser stopped at a repeated name, else null. */
  private static String duplicateName(JacksonException e) {
    String name = repeatedName(e);
    if (name == null) {
      return null;
    }
    StringBuilder path = new StringBuilder();
    JsonStreamContext context = ((JsonParser) e.getProcessor()).getParsingContext();
    for (JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
      path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
    }
    return "the name '" + name + "' appears twice in $" + path;
  }

  /**
   * The name a parser with {@link JsonParser.Feature#STRICT_DUPLICATE_DETECTION} found twice in one
   * object, when that is why it stopped; else null.
   */
  public static String repeatedName(JacksonException e) {
    if (!(e.getProcessor() instanceof JsonParser parser)
        || !String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
      return null;
    }
    JsonStreamContext context = parser.getParsingContext();
    return context == null ? null : context.getCurrentName();
  }
}
