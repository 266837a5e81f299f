package com.huntaze.ratelimit.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

/**
 * The Redis credentials held by a Secrets Manager secret: either the password itself (an ElastiCache AUTH
 * token) or JSON {@code {"password": "...", "username": "..."}} with an optional username (the shape of
 * ElastiCache user secrets rotated by Secrets Manager; other fields are ignored).
 */
record RedisAuthSecret(Optional<String> username, String password) {
  /** What an error message may say about the expected shape. */
  static final String EXPECTED = "expected the token itself, or JSON {\"password\": \"...\", \"username\": \"...\"}"
      + " (username optional)";

  /**
   * Reads a secret string.
   *
   * @throws IllegalArgumentException saying what is wrong; its message never holds any part of the value
   */
  static RedisAuthSecret parse(String secretString) {
    String value = secretString.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("is empty; " + EXPECTED);
    }
    if (!value.startsWith("{")) {
      return new RedisAuthSecret(Optional.empty(), value);
    }
    JsonObject json = parseJsonObject(value);
    String password = stringField(json, "password")
        .orElseThrow(() -> new IllegalArgumentException("is JSON without a password (field \"password\" missing"
            + " or empty); " + EXPECTED));
    return new RedisAuthSecret(stringField(json, "username").map(String::strip), password);
  }

  private static JsonObject parseJsonObject(String value) {
    // Gson's own messages are not passed on: they might quote a piece of the secret.
    try (JsonReader reader = new JsonReader(new StringReader(value))) {
      reader.setStrictness(Strictness.STRICT);
      JsonObject object = JsonParser.parseReader(reader).getAsJsonObject();
      reader.peek();   // strict: anything after the object is an error
      return object;
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException("starts with '{' but is not valid JSON; " + EXPECTED);
    }
  }

  /** A string field; absent or blank: empty. Kept as written (a JSON password may hold spaces on purpose). */
  private static Optional<String> stringField(JsonObject json, String name) {
    JsonElement field = json.get(name);
    if (field == null || field.isJsonNull()) {
      return Optional.empty();
    }
    if (!field.isJsonPrimitive() || !field.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("has a field \"" + name + "\" that is not a string; " + EXPECTED);
    }
    String value = field.getAsString();
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RedisAuthSecret{username=" + username.orElse("(none)") + "}";
  }
}
