package com.huntaze.ratelimit.it;

import com.huntaze.ratelimit.plan.PlanCatalog;
import java.time.Instant;

/** Small plan documents for tests, written as in production documents. */
final class TestPlans {
  private TestPlans() {
  }

  /** One plan named "p" with the given limit objects, e.g. limit("a", "requests", 3, "10s", "sliding-window"). */
  static PlanCatalog plan(String... limits) {
    return PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": [" + String.join(",", limits) + "]}}}", "test plan");
  }

  static String limit(String name, String unit, long limit, String window, String algorithm) {
    return "{\"name\": \"" + name + "\", \"unit\": \"" + unit + "\", \"limit\": " + limit + ", \"window\": \""
        + window + "\", \"algorithm\": \"" + algorithm + "\"}";
  }

  static String bucket(String name, String unit, long limit, String window, long burst) {
    return "{\"name\": \"" + name + "\", \"unit\": \"" + unit + "\", \"limit\": " + limit + ", \"window\": \""
        + window + "\", \"algorithm\": \"token-bucket\", \"burst\": " + burst + "}";
  }

  /** A three-limit plan, one limit per algorithm: the shape the wire test and the benchmark use. */
  static PlanCatalog threeLimits() {
    return plan(
        limit("rpm", "requests", 1000, "1m", "sliding-window"),
        bucket("tpm", "tokens", 100_000, "1m", 100_000),
        limit("tpd", "tokens", 10_000_000, "day", "fixed-window"));
  }

  static long micros(String isoInstant) {
    Instant t = Instant.parse(isoInstant);
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }
}
