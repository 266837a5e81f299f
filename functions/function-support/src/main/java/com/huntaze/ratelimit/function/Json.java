package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.json.StrictJson;

/**
 * The functions' JSON answers and log lines: trees of Jackson nodes, written by {@link StrictJson#write} (compact,
 * members in the order they were put, numbers as their node holds them, no ObjectMapper). Request bodies are read
 * by {@link JsonBody}.
 */
public final class Json {
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
    return StrictJson.write(value);
  }
}
