package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.InvalidRequestException;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.ResetResult;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.UnknownPlanException;
import com.huntaze.ratelimit.config.FailureMode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.InvocationLog;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.function.Problem;
import com.huntaze.ratelimit.function.Telemetry;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * The rate-check function behind API Gateway (HTTP API, payload 2.0):
 * {@code POST /v1/check}, {@code GET /v1/limits/{creatorId}?tier=}, {@code DELETE /v1/limits/{creatorId}}.
 * Bad input gets a problem+json 4xx and is charged nothing; Redis trouble a 503 or, fail-open, an
 * allowed answer marked degraded.
 */
public final class RateCheckHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
    Resource {
  static final String FUNCTION = "rate-check";
  private static final String CHECK_PATH = "/v1/check";
  private static final String LIMITS_PREFIX = "/v1/limits/";

  private final RateLimiter limiter;
  private final FailureMode failureMode;
  private final Telemetry telemetry;
  private final PrintStream log;

  /** Lambda: configuration read and validated once, client built once, at init. */
  public RateCheckHandler() {
    this(LimiterConfig.fromEnvironment());
    Core.getGlobalContext().register(this);   // SnapStart calls beforeCheckpoint before the snapshot
  }

  private RateCheckHandler(LimiterConfig config) {
    this(config.newRateLimiter(), config.failureMode(), new Telemetry(), System.out);
  }

  /** Tests: everything injected. */
  public RateCheckHandler(RateLimiter limiter, FailureMode failureMode, Telemetry telemetry, PrintStream log) {
    this.limiter = limiter;
    this.failureMode = failureMode;
    this.telemetry = telemetry;
    this.log = log;
  }

  /** SnapStart: no Redis socket may be frozen into the snapshot (it would be dead after a restore). */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    limiter.closeIdleConnections();
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // nothing: the next check opens a fresh connection
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = context == null ? null : context.getAwsRequestId();
    InvocationLog line = new InvocationLog(FUNCTION, requestId);
    Telemetry.Metrics metrics = telemetry.start(FUNCTION);
    APIGatewayV2HTTPResponse response;
    try {
      response = route(event, line, metrics);
    } catch (ProblemException e) {
      if (e.problem().status() < 500) {   // bad input; a 503 was already counted where Redis failed
        metrics.count("InvalidRequests");
        line.put("decision", "invalid").put("errorKind", e.problem().type());
      }
      response = HttpResponses.problem(e.problem(), requestId, e.headers());
    } catch (RuntimeException e) {
      // a bug, not bad input: answer without internals, keep the details in the log
      metrics.count("Errors");
      line.level("ERROR").put("decision", "error").put("errorKind", e.getClass().getSimpleName())
          .put("error", String.valueOf(e.getMessage()));
      response = HttpResponses.problem(new Problem(500, "internal-error", "Internal error",
          "the rate limiter failed unexpectedly; the request id identifies the log line", null), requestId, Map.of());
    }
    line.put("status", response.getStatusCode());
    metrics.flush();
    line.emit(log);
    return response;
  }

  private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event, InvocationLog line, Telemetry.Metrics metrics) {
    if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null) {
      throw new ProblemException(Problem.badRequest("malformed-event",
          "the event is not an API Gateway HTTP API (payload 2.0) request", null));
    }
    String method = event.getRequestContext().getHttp().getMethod();
    String path = pathOf(event);
    line.put("route", method + " " + path);
    if (path.equals(CHECK_PATH)) {
      requireMethod(method, "POST");
      return check(CheckRequest.parse(event), event, line, metrics);
    }
    if (path.startsWith(LIMITS_PREFIX) && path.length() > LIMITS_PREFIX.length()
        && path.indexOf('/', LIMITS_PREFIX.length()) < 0) {
      String creatorId = creatorIdOf(event, path);
      requireMethod(method, "GET", "DELETE");
      return method.equals("GET") ? status(creatorId, event, line, metrics) : reset(creatorId, line, metrics);
    }
    throw new ProblemException(new Problem(404, "not-found", "Not found", "no route " + method + " " + path
        + "; the routes are POST /v1/check, GET /v1/limits/{creatorId}?tier=..., DELETE /v1/limits/{creatorId}",
        null));
  }

  private APIGatewayV2HTTPResponse check(CheckRequest request, APIGatewayV2HTTPEvent event, InvocationLog line,
      Telemetry.Metrics metrics) {
    line.put("creatorId", request.creatorId()).put("plan", request.tier());
    long start = System.nanoTime();
    Decision decision = limit(() -> limiter.check(request.creatorId(), request.tier(), request.cost(),
        request.requestId()));
    double redisMillis = (System.nanoTime() - start) / 1e6;
    metrics.plan(decision.plan()).millis("RedisLatency", redisMillis);
    line.put("redisLatencyMs", redisMillis);
    switch (decision.outcome()) {
      case ALLOWED -> {
        metrics.count("Allowed");
        line.put("decision", decision.replayed() ? "allowed-replayed" : "allowed");
        return HttpResponses.json(200, DecisionAnswers.checkBody(decision, false), DecisionAnswers.headers(decision));
      }
      case DENIED -> {
        metrics.count("Denied");
        line.put("decision", "denied").put("deniedBy", decision.deniedBy().orElseThrow().name());
        return HttpResponses.json(429, DecisionAnswers.checkBody(decision, false), DecisionAnswers.headers(decision));
      }
      default -> {
        RedisFailure failure = decision.failure().orElseThrow();
        metrics.count("RedisErrors").property("redisErrorKind", failure.kind().name());
        line.put("errorKind", failure.kind().name());
        if (failureMode == FailureMode.FAIL_OPEN) {
          metrics.count("Degraded");
          line.level("WARN").put("decision", "degraded");
          return HttpResponses.json(200, DecisionAnswers.checkBody(decision, true), Map.of());
        }
        line.level("WARN").put("decision", "unavailable");
        throw unavailable(failure);
      }
    }
  }

  private APIGatewayV2HTTPResponse status(String creatorId, APIGatewayV2HTTPEvent event, InvocationLog line,
      Telemetry.Metrics metrics) {
    Map<String, String> query = event.getQueryStringParameters();
    String tier = query == null ? null : query.get("tier");
    if (tier == null || tier.isEmpty()) {
      throw CheckRequest.invalid("missing-field", "query parameter 'tier' is required, e.g. /v1/limits/"
          + creatorId + "?tier=pro; known plans: " + String.join(", ", limiter.plans().planNames()), "tier");
    }
    line.put("creatorId", creatorId).put("plan", tier);
    long start = System.nanoTime();
    Decision decision = limit(() -> limiter.status(creatorId, tier));
    double redisMillis = (System.nanoTime() - start) / 1e6;
    metrics.plan(decision.plan()).millis("RedisLatency", redisMillis);
    line.put("redisLatencyMs", redisMillis);
    if (decision.outcome() == Decision.Outcome.REDIS_UNAVAILABLE) {
      RedisFailure failure = decision.failure().orElseThrow();
      metrics.count("RedisErrors");
      line.level("WARN").put("decision", "unavailable").put("errorKind", failure.kind().name());
      throw unavailable(failure);
    }
    line.put("decision", "status");
    return HttpResponses.json(200, DecisionAnswers.statusBody(decision), DecisionAnswers.headers(decision));
  }

  private APIGatewayV2HTTPResponse reset(String creatorId, InvocationLog line, Telemetry.Metrics metrics) {
    line.put("creatorId", creatorId);
    long start = System.nanoTime();
    ResetResult reset = limit(() -> limiter.reset(creatorId));
    if (!reset.done()) {
      RedisFailure failure = reset.failure().orElseThrow();
      metrics.count("RedisErrors");
      line.level("WARN").put("decision", "unavailable").put("errorKind", failure.kind().name());
      throw unavailable(failure);
    }
    line.put("redisLatencyMs", (System.nanoTime() - start) / 1e6).put("decision", "reset");
    return HttpResponses.json(200, Json.object().put("creatorId", creatorId).put("reset", true)
        .put("keysDeleted", reset.keysDeleted()), Map.of());
  }

  /** Runs a limiter call, turning refused input into a 400 that names the field. */
  private static <T> T limit(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (UnknownPlanException e) {
      throw CheckRequest.invalid("unknown-plan", e.getMessage(), e.field());
    } catch (InvalidRequestException e) {
      throw CheckRequest.invalid("invalid-field", e.getMessage(), e.field());
    }
  }

  private static ProblemException unavailable(RedisFailure failure) {
    return new ProblemException(new Problem(503, "redis-unavailable", "Rate limiter unavailable",
        "the rate limiter could not reach Redis (" + failure.kind() + "); nothing was charged, retry shortly",
        null), Map.of("Retry-After", "1"));
  }

  private static void requireMethod(String method, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    String allow = String.join(", ", allowed);
    throw new ProblemException(new Problem(405, "method-not-allowed", "Method not allowed",
        method + " is not allowed here; use " + allow, null), Map.of("Allow", allow));
  }

  /** API Gateway's decoded path parameter, else the percent-decoded last path segment ('+' stays '+'). */
  private static String creatorIdOf(APIGatewayV2HTTPEvent event, String path) {
    Map<String, String> parameters = event.getPathParameters();
    if (parameters != null && parameters.get("creatorId") != null) {
      return parameters.get("creatorId");
    }
    String segment = path.substring(LIMITS_PREFIX.length()).replace("+", "%2B");
    try {
      return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw CheckRequest.invalid("invalid-field", "the creator id in the path is not valid percent-encoding",
          "creatorId");
    }
  }

  /** The request path without a named stage's prefix (the $default stage has none). */
  private static String pathOf(APIGatewayV2HTTPEvent event) {
    String path = event.getRawPath() != null ? event.getRawPath() : event.getRequestContext().getHttp().getPath();
    if (path == null || path.isEmpty()) {
      return "/";
    }
    String stage = event.getRequestContext().getStage();
    if (stage != null && !stage.equals("$default") && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
