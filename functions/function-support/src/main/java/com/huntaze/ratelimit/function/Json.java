package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The functions' JSON answers and log lines: trees of Jackson nodes, written compactly with Jackson's
 * streaming generator, as an ObjectMapper writes them with its defaults (members in the order they were
 * put, numbers as their node holds them). No ObjectMapper: its serializer machinery is not loaded just to
 * write trees. Request bodies are read by {@link JsonBody}.
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  public static String write(JsonNode value) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      write(json, value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
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
}
