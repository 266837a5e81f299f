package com.huntaze.ratelimit.function.connectiontest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.config.ConfigurationException;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.FunctionConfig;
import com.huntaze.ratelimit.function.HttpFunction;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.Routes;
import com.huntaze.ratelimit.function.Telemetry;
import com.huntaze.ratelimit.jedis.RedisCredentials;
import com.huntaze.ratelimit.jedis.RenewableLogin;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /test-redis}: proves the path from the function to Redis works (PING, version, a key round
 * trip, a script, the server's clock) and, when it does not, says which step failed and what to check.
 * 200 when every step passed, 503 otherwise; never a secret in the answer or the log. A direct
 * invocation (console "Test", {@code aws lambda invoke} with {@code {}}) runs the test too.
 */
public final class ConnectionTestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String FUNCTION_NAME = "connection-test";
  static final String PATH = "/test-redis";
  static final String METHOD = "GET";

  private final LimiterConfig config;
  private final String configurationError;
  private final Clock clock;
  private final HttpFunction function;

  /** Lambda: the settings from the environment, read once per execution environment. */
  public ConnectionTestHandler() {
    this(FunctionConfig::fromEnvironment, new Telemetry(), Clock.systemUTC(), System.out);
  }

  /**
   * Tests and local runs: the settings {@code configuration} reads, read once, exactly as at init. A
   * diagnostic must not fail at init: invalid settings are the answer of every invocation instead.
   */
  public ConnectionTestHandler(Supplier<LimiterConfig> configuration, Telemetry telemetry, Clock clock,
      PrintStream log) {
    LimiterConfig read = null;
    String error = null;
    try {
      read = configuration.get();
    } catch (ConfigurationException e) {
      error = e.getMessage();
    }
    this.config = read;
    this.configurationError = error;
    this.clock = clock;
    Routes routes = Routes.builder().route(METHOD, PATH, this::test).directInvocation(METHOD, PATH).build();
    this.function = new HttpFunction(FUNCTION_NAME, routes, telemetry, log);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return function.handle(event, context);
  }

  private APIGatewayV2HTTPResponse test(HttpRequest request, Invocation invocation) {
    ProbeResult result = config == null ? ProbeResult.configurationFailure(configurationError) : probe();
    record(result, invocation);
    return HttpResponses.json(result.httpStatus(), result.toJson(), Map.of());
  }

  /**
   * Runs the probe; with REDIS_AUTH_MODE=secret, a login Redis refuses reads the secret again (at most once every
   * 10 s, as the rate-check function does) and the probe runs once more, so that the test follows a rotation.
   */
  private ProbeResult probe() {
    RenewableLogin login = config.redis().credentials() instanceof RedisCredentials.Secret secret
        ? secret.login() : null;
    long seen = login == null ? 0 : login.generation();
    ProbeResult result = new ConnectionProbe(config.redis(), config.keyPrefix(), clock).run();
    if (login == null || !result.loginRefused()) {
      return result;
    }
    RenewableLogin.Renewal renewal = login.renewAfterRefusal(seen);
    if (!renewal.retry()) {
      return result.withNote(renewal.note());
    }
    ProbeResult again = new ConnectionProbe(config.redis(), config.keyPrefix(), clock).run();
    return again.loginRefused() ? again.withNote("the secret was read again and its new value was refused too")
        : again;
  }

  private static void record(ProbeResult result, Invocation invocation) {
    Telemetry.Metrics metrics = invocation.metrics();
    metrics.count(result.success() ? "ConnectionTestSucceeded" : "ConnectionTestFailed");
    result.pingMillis().ifPresent(millis -> {
      metrics.millis("RedisPingLatency", millis);
      invocation.log().put("redisLatencyMs", millis);
    });
    invocation.log().put("success", result.success());
    if (!result.success()) {
      invocation.log().level("ERROR")
          .put("failedStep", result.failure().step())
          .put("errorKind", result.failure().kind().name());
      metrics.property("failedStep", result.failure().step())
          .property("errorKind", result.failure().kind().name());
    }
  }
}
