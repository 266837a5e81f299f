package com.huntaze.ratelimit.plan;

import java.util.Arrays;
import java.util.Optional;

/** What a limit counts: calls, or model tokens. */
public enum Unit {
  REQUESTS("requests"),
  TOKENS("tokens");

  private final String jsonName;

  Unit(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  public static Optional<Unit> fromJsonName(String name) {
    return Arrays.stream(values()).filter(u -> u.jsonName.equals(name)).findFirst();
  }
}
