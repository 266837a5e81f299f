package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.FunctionConfig;
import com.huntaze.ratelimit.function.HttpFunction;
import com.huntaze.ratelimit.function.Routes;
import com.huntaze.ratelimit.function.Telemetry;
import java.io.OutputStream;
import java.io.PrintStream;
import org.crac.Core;
import org.crac.Resource;

/**
 * The rate-check function behind API Gateway (HTTP API, payload 2.0): {@code POST /v1/check},
 * {@code POST /v1/settle}, {@code POST /v1/release}, {@code GET /v1/limits/{creatorId}?tier=&model=},
 * {@code DELETE /v1/limits/{creatorId}}; operators' {@code PUT/GET/DELETE /v1/overrides/{creatorId}} and
 * {@code PUT /v1/usage/{creatorId}}.
 */
public final class RateCheckHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
    Resource, AutoCloseable {
  static final String FUNCTION = "rate-check";
  /** The creator of SnapStart's priming calls (a status call consumes nothing: whoever it is loses nothing). */
  static final String PRIMING_CREATOR = "_snapstart-priming";

  private final RateLimiter limiter;
  private final HttpFunction function;
  /** The same routes, writing their log lines and metrics nowhere: SnapStart's priming calls. */
  private final HttpFunction primer;

  /** Lambda: configuration read and validated once, the Redis client built once, at init. */
  public RateCheckHandler() {
    this(FunctionConfig.fromEnvironment(), new Telemetry(), System.out);
    Core.getGlobalContext().register(this);   // SnapStart calls beforeCheckpoint before the snapshot
  }

  /** Tests and local runs: the configuration given, metrics and log lines where they say. */
  public RateCheckHandler(LimiterConfig config, Telemetry telemetry, PrintStream log) {
    this.limiter = config.newRateLimiter();
    LimitsRoute limits = new LimitsRoute(limiter);
    OverridesRoute overrides = new OverridesRoute(limiter);
    Routes routes = Routes.builder()
        .route("POST", "/v1/check", new CheckRoute(limiter, config.failureMode(), config.enforce(), new DegradedFallback()))
        .route("POST", "/v1/settle", new SettleRoute(limiter))
        .route("POST", "/v1/release", new ReleaseRoute(limiter))
        .route("GET", LimitsRoute.PATTERN, limits::status)
        .route("DELETE", LimitsRoute.PATTERN, limits::reset)
        .route("PUT", OverridesRoute.PATTERN, overrides::put)
        .route("GET", OverridesRoute.PATTERN, overrides::get)
        .route("DELETE", OverridesRoute.PATTERN, overrides::delete)
        .route("PUT", UsageRoute.PATTERN, new UsageRoute(limiter)::put)
        .build();
    this.function = new HttpFunction(FUNCTION, routes, telemetry, log).countingInvalidRequests("InvalidRequests");
    this.primer = new HttpFunction(FUNCTION, routes, Telemetry.discarding(),
        new PrintStream(OutputStream.nullOutputStream())).countingInvalidRequests("InvalidRequests");
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return function.handle(event, context);
  }

  /**
   * SnapStart, before the snapshot: prime, then close every Redis socket (one frozen into the snapshot
   * would be dead after a restore).
   */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    prime();
    limiter.closeIdleConnections();
  }

  /**
   * Runs what the first request after a restore would otherwise load and initialize, so that it is in the
   * snapshot: a status call (it consumes nothing) of {@link #PRIMING_CREATOR}, through the routes, the Redis
   * script, the JSON answer, the log line and the metrics document, and a check refused for its body
   * (parsed, never sent to Redis); their log lines and metrics are written nowhere. Best effort: when
   * Redis cannot be reached as the version is published, the snapshot is taken all the same.
   */
  void prime() {
    String plan = limiter.plans().planNames().stream().sorted().findFirst().orElse(null);
    if (plan == null) {
      return;
    }
    try {
      primer.handle(PrimingEvents.status(PRIMING_CREATOR, plan), null);
      primer.handle(PrimingEvents.refusedCheck(PRIMING_CREATOR, plan), null);
    } catch (RuntimeException e) {
      // the snapshot is still worth taking: the first request then does what priming could not
    }
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // nothing: the next check opens a fresh connection
  }

  /** Closes the Redis client (tests and local runs; Lambda ends the process instead). */
  @Override
  public void close() {
    limiter.close();
  }
}
