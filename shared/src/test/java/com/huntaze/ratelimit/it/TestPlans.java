package com.huntaze.ratelimit.it;

import com.huntaze.ratelimit.plan.PlanCatalog;
import java.time.Instant;

/** Small plan documents for tests, written as in production documents. */
final class TestPlans {
  private TestPlans() {
  }

  /** One plan named "p" with the given limit objects, e.g. limit("a", "requests", 3, "10s", "sliding-log"). */
  static PlanCatalog plan(String... limits) {
    return PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": [" + String.join(",", limits) + "]}}}", "test plan");
  }

  /** One plan "p" with the given limits, pricing two models: "m" (input $2, cached $1, output $10 per million) and "free-model". */
  static PlanCatalog pricedPlan(String... limits) {
    return PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": [" + String.join(",", limits) + "]}}, \"models\": {"
        + "\"m\": {\"inputPerMillion\": 2, \"cachedInputPerMillion\": 1, \"outputPerMillion\": 10},"
        + " \"free-model\": {\"inputPerMillion\": 0, \"outputPerMillion\": 0}}}", "test plan");
  }

  /** A money limit in USD, e.g. usd("usd-per-day", "1.5", "day", "fixed-window"). */
  static String usd(String name, String dollars, String window, String algorithm) {
    return "{\"name\": \"" + name + "\", \"unit\": \"usd\", \"limit\": " + dollars + ", \"window\": \""
        + window + "\", \"algorithm\": \"" + algorithm + "\"}";
  }

  /** A concurrency limit: at most {@code limit} leases, each living {@code ttl}. */
  static String leases(String name, long limit, String ttl) {
    return "{\"name\": \"" + name + "\", \"unit\": \"concurrent\", \"limit\": " + limit + ", \"window\": \""
        + ttl + "\", \"algorithm\": \"lease\"}";
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
        limit("rpm", "requests", 1000, "1m", "sliding-log"),
        bucket("tpm", "tokens", 100_000, "1m", 100_000),
        limit("tpd", "tokens", 10_000_000, "day", "fixed-window"));
  }

  static long micros(String isoInstant) {
    Instant t = Instant.parse(isoInstant);
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }
}
