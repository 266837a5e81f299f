package com.huntaze.ratelimit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.json.InvalidJsonException;
import com.huntaze.ratelimit.json.StrictJson;
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
    JsonNode json = parseJsonObject(value);
    String password = stringField(json, "password")
        .orElseThrow(() -> new IllegalArgumentException("is JSON without a password (field \"password\" missing"
            + " or empty); " + EXPECTED));
    return new RedisAuthSecret(stringField(json, "username").map(String::strip), password);
  }

  private static JsonNode parseJsonObject(String value) {
    // The parser's position is safe to show, its text is not: it might quote a piece of the secret.
    try {
      JsonNode json = StrictJson.read(value);
      if (json.isObject()) {
        return json;
      }
    } catch (InvalidJsonException e) {
      // reported below, without the parser's words
    }
    throw new IllegalArgumentException("starts with '{' but is not valid JSON; " + EXPECTED);
  }

  /** A string field; absent or blank: empty. Kept as written (a JSON password may hold spaces on purpose). */
  private static Optional<String> stringField(JsonNode json, String name) {
    JsonNode field = json.get(name);
    if (field == null || field.isNull()) {
      return Optional.empty();
    }
    if (!field.isTextual()) {
      throw new IllegalArgumentException("has a field \"" + name + "\" that is not a string; " + EXPECTED);
    }
    String value = field.textValue();
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RedisAuthSecret{username=" + username.orElse("(none)") + "}";
  }
}
