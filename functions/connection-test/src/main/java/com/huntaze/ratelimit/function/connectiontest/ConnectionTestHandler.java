package com.huntaze.ratelimit.function.connectiontest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.config.ConfigurationException;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.InvocationLog;
import com.huntaze.ratelimit.function.Problem;
import com.huntaze.ratelimit.function.Telemetry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /test-redis}: proves the path from the function to Redis works (PING, version, a key round
 * trip, a script, the server's clock) and, when it does not, says which step failed and what to check.
 * 200 when every step passed, 503 otherwise; never a secret in the answer or the log.
 */
public final class ConnectionTestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String FUNCTION_NAME = "connection-test";
  static final String PATH = "/test-redis";
  static final String METHOD = "GET";

  private final LimiterConfig config;
  private final String configurationError;
  private final Telemetry telemetry;
  private final Clock clock;
  private final Supplier<PrintStream> log;

  /** Lambda: the settings from the environment, read once per execution environment. */
  public ConnectionTestHandler() {
    this(Setup.read(LimiterConfig::fromEnvironment), new Telemetry(), Clock.systemUTC(), () -> System.out);
  }

  /** Tests and local runs: the settings from this environment, read once, exactly as at init. */
  public ConnectionTestHandler(Map<String, String> environment, Telemetry telemetry, Clock clock, PrintStream log) {
    this(Setup.read(() -> LimiterConfig.fromEnvironment(environment)), telemetry, clock, () -> log);
  }

  /** Tests: settings already read. */
  public ConnectionTestHandler(LimiterConfig config, Telemetry telemetry, Clock clock, PrintStream log) {
    this(new Setup(config, null), telemetry, clock, () -> log);
  }

  private ConnectionTestHandler(Setup setup, Telemetry telemetry, Clock clock, Supplier<PrintStream> log) {
    this.config = setup.config();
    this.configurationError = setup.error();
    this.telemetry = telemetry;
    this.clock = clock;
    this.log = log;
  }

  /**
   * The configuration, or why it is invalid. A diagnostic must not fail at init: it answers every
   * invocation with the reason instead, which is what a person testing a fresh deployment needs.
   */
  private record Setup(LimiterConfig config, String error) {
    static Setup read(Supplier<LimiterConfig> reader) {
      try {
        return new Setup(reader.get(), null);
      } catch (ConfigurationException e) {
        return new Setup(null, e.getMessage());
      }
    }
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = context == null ? null : context.getAwsRequestId();
    InvocationLog line = new InvocationLog(FUNCTION_NAME, requestId);
    APIGatewayV2HTTPResponse response = answer(HttpRequest.of(event), requestId, line);
    line.put("status", response.getStatusCode());
    line.emit(log.get());
    return response;
  }

  private APIGatewayV2HTTPResponse answer(HttpRequest request, String requestId, InvocationLog line) {
    line.put("route", request.method() + " " + request.path());
    if (!request.path().equals(PATH)) {
      return HttpResponses.problem(new Problem(404, "not-found", "Not found",
          "No route " + request.path() + ": this function answers " + METHOD + " " + PATH, null), requestId, Map.of());
    }
    if (!request.method().equals(METHOD)) {
      return HttpResponses.problem(new Problem(405, "method-not-allowed", "Method not allowed",
          request.method() + " is not allowed on " + PATH + ": use " + METHOD, null), requestId,
          Map.of("Allow", METHOD));
    }
    ProbeResult result = config == null
        ? ProbeResult.configurationFailure(configurationError)
        : new ConnectionProbe(config.redis(), config.keyPrefix(), clock).run();
    record(result, line);
    return HttpResponses.json(result.httpStatus(), result.toJson(), Map.of());
  }

  private void record(ProbeResult result, InvocationLog line) {
    Telemetry.Metrics metrics = telemetry.start(FUNCTION_NAME);
    metrics.count(result.success() ? "ConnectionTestSucceeded" : "ConnectionTestFailed");
    result.pingMillis().ifPresent(millis -> {
      metrics.millis("RedisPingLatency", millis);
      line.put("redisLatencyMs", millis);
    });
    line.put("success", result.success());
    if (!result.success()) {
      line.level("ERROR")
          .put("failedStep", result.failure().step())
          .put("errorKind", result.failure().kind().name());
      metrics.property("failedStep", result.failure().step())
          .property("errorKind", result.failure().kind().name());
    }
    metrics.flush();
  }
}
