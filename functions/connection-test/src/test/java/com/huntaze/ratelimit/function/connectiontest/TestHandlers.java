package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Connection-test handlers in the Lambda harness, configured from an environment map as at init. */
final class TestHandlers {
  static final String FUNCTION = "ConnectionTestFunction";

  private TestHandlers() {
  }

  /** The environment of a plain-text, password-less Redis at host:port, as template.yaml would set it. */
  static Map<String, String> plainEnvironment(String host, int port) {
    Map<String, String> environment = new HashMap<>();
    environment.put("REDIS_HOST", host);
    environment.put("REDIS_PORT", Integer.toString(port));
    environment.put("REDIS_TLS", "false");
    return environment;
  }

  static LambdaHarness<ConnectionTestHandler> on(Map<String, String> environment) {
    return on(environment, Clock.systemUTC());
  }

  static LambdaHarness<ConnectionTestHandler> on(Map<String, String> environment, Clock clock) {
    Map<String, String> copy = Map.copyOf(environment);
    return new LambdaHarness<>(FUNCTION, (telemetry, log) ->
        new ConnectionTestHandler(() -> LimiterConfig.fromEnvironment(copy), telemetry, clock, log));
  }

  /** A handler given settings already read. */
  static LambdaHarness<ConnectionTestHandler> on(LimiterConfig config) {
    return new LambdaHarness<>(FUNCTION, (telemetry, log) ->
        new ConnectionTestHandler(() -> config, telemetry, Clock.systemUTC(), log));
  }
}
