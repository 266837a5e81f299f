package com.huntaze.ratelimit.plan;

import java.util.Optional;

/** What a limit counts: calls, model tokens, money, or calls in flight. */
public enum Unit {
  REQUESTS("requests"),
  TOKENS("tokens"),
  /** Money, as integer micro-dollars (a plan document writes it in USD, e.g. 20 or 0.5). */
  USD("usd"),
  /** Calls in flight: each admitted generation holds a lease until settled, released or expired. */
  CONCURRENT("concurrent");

  private final String jsonName;

  Unit(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  public static Optional<Unit> fromJsonName(String name) {
    for (Unit u : values()) {   // a loop, not a stream: the plan parser runs it at cold start
      if (u.jsonName.equals(name)) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }
}
