package com.huntaze.ratelimit;

import com.huntaze.ratelimit.internal.Inputs;
import com.huntaze.ratelimit.internal.KeyLayout;
import com.huntaze.ratelimit.internal.LimitScript;
import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Checks and consumes every limit of a creator's plan in one Redis round trip, atomically: a check is
 * allowed only if every limit admits it, and a denied check consumes nothing.
 *
 * <pre>{@code
 * Decision d = limiter.checkCreatorRateLimit("creator-123", "pro");
 * if (!d.allowed()) { ... d.retryAfter() ... }
 * }</pre>
 *
 * Thread-safe; build one per process and reuse it.
 */
public final class RateLimiter implements AutoCloseable {
  public static final String DEFAULT_KEY_PREFIX = "rl";
  public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofMinutes(5);
  static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final RedisPort redis;
  private final PlanCatalog plans;
  private final KeyLayout keys;
  private final Duration idempotencyTtl;
  private final LongSupplier timeOverrideMicros;
  private final LimitScript script = LimitScript.load();

  private RateLimiter(Builder b) {
    this.redis = b.redis;
    this.plans = b.plans;
    this.keys = new KeyLayout(b.keyPrefix);
    this.idempotencyTtl = b.idempotencyTtl;
    this.timeOverrideMicros = b.timeOverrideMicros;
  }

  public static Builder builder(RedisPort redis, PlanCatalog plans) {
    return new Builder(redis, plans);
  }

  /** One request for this creator on this plan: the old {@code checkCreatorRateLimit} call. */
  public Decision checkCreatorRateLimit(String creatorId, String tier) {
    return check(creatorId, tier, RequestCost.oneRequest(), null);
  }

  /**
   * Consumes {@code cost} from every limit of the plan, or nothing if any limit denies.
   *
   * @param requestId optional; a repeat of an allowed check with the same id (same creator and plan)
   *                  within the idempotency TTL returns the first decision and charges nothing more
   * @throws InvalidRequestException for a bad creator id, plan, cost or request id (Redis untouched)
   */
  public Decision check(String creatorId, String tier, RequestCost cost, String requestId) {
    Inputs.creatorId(creatorId);
    Plan plan = plan(tier);
    Inputs.cost(cost, plan);
    Inputs.requestId(requestId);
    List<String> scriptKeys = new ArrayList<>(keys.limitKeys(creatorId, plan.limits()));
    if (requestId != null) {
      scriptKeys.add(keys.requestKey(creatorId, plan.name(), requestId));
    }
    return evaluate("check", creatorId, plan, cost, scriptKeys, requestId != null);
  }

  /** The state of every limit of the plan, consuming nothing. */
  public Decision status(String creatorId, String tier) {
    Inputs.creatorId(creatorId);
    Plan plan = plan(tier);
    List<String> scriptKeys = keys.limitKeys(creatorId, plan.limits());
    return evaluate("status", creatorId, plan, new RequestCost(0, 0), scriptKeys, false);
  }

  /**
   * Deletes the creator's usage of every limit of every plan (one DEL in the creator's slot). Stored
   * request-id decisions are left to expire.
   *
   * @return how many keys existed
   * @throws RedisPortException when Redis cannot be reached
   */
  public long reset(String creatorId) {
    Inputs.creatorId(creatorId);
    return redis.delete(keys.limitKeys(creatorId, plans.allLimits()));
  }

  /** Letters, digits and . _ : - only, 1 to 64 characters. */
  public static boolean isValidKeyPrefix(String prefix) {
    return prefix != null && KEY_PREFIX.matcher(prefix).matches();
  }

  public PlanCatalog plans() {
    return plans;
  }

  public String keyPrefix() {
    return keys.prefix();
  }

  /** Closes pooled Redis connections not in use (before a SnapStart snapshot); the next check reconnects. */
  public void closeIdleConnections() {
    redis.closeIdleConnections();
  }

  @Override
  public void close() {
    redis.close();
  }

  private Plan plan(String tier) {
    if (tier == null || tier.isEmpty()) {
      throw new InvalidRequestException("tier", "tier is required; known plans: "
          + String.join(", ", plans.planNames()));
    }
    return plans.plan(tier).orElseThrow(() -> new UnknownPlanException(tier, plans.planNames()));
  }

  private Decision evaluate(String mode, String creatorId, Plan plan, RequestCost cost, List<String> scriptKeys,
      boolean idempotent) {
    List<String> args = new ArrayList<>(4 + plan.limits().size() * 5);
    args.add(mode);
    args.add(timeOverrideMicros == null ? "" : Long.toString(timeOverrideMicros.getAsLong()));
    args.add(Integer.toString(plan.limits().size()));
    args.add(idempotent ? Long.toString(idempotencyTtl.toMillis()) : "0");
    for (Limit limit : plan.limits()) {
      args.add(scriptAlgorithm(limit.algorithm()));
      args.add(Long.toString(limit.limit()));
      args.add(limit.window().isCalendar()
          ? limit.window().calendarUnit().name().toLowerCase(Locale.ROOT)
          : Long.toString(limit.window().duration().toNanos() / 1000));
      args.add(Long.toString(limit.burst()));
      args.add(Long.toString(Inputs.unitsOf(cost, limit.unit())));
    }
    try {
      return toDecision(creatorId, plan, script.run(redis, scriptKeys, args));
    } catch (RedisPortException first) {
      // A pooled connection broken by a restart or failover fails once, then is replaced. Repeating is
      // safe only when it cannot double-charge: a status, or a check carrying a request id.
      boolean repeatable = !mode.equals("check") || idempotent;
      if (repeatable && first.failure().kind() == RedisFailure.Kind.CONNECTION) {
        try {
          return toDecision(creatorId, plan, script.run(redis, scriptKeys, args));
        } catch (RedisPortException second) {
          return Decision.unavailable(creatorId, plan.name(), second.failure());
        }
      }
      return Decision.unavailable(creatorId, plan.name(), first.failure());
    }
  }

  private static Decision toDecision(String creatorId, Plan plan, List<Long> reply) {
    int n = plan.limits().size();
    if (reply.size() != 3 + 4 * n) {
      return Decision.unavailable(creatorId, plan.name(), new RedisFailure(RedisFailure.Kind.REDIS_ERROR,
          "script reply of " + reply.size() + " values does not match plan '" + plan.name() + "' of " + n
              + " limits (a request id reused across a plan change?)"));
    }
    Instant now = Instant.ofEpochMilli(reply.get(2));
    List<LimitState> states = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int at = 3 + 4 * i;
      states.add(new LimitState(plan.limits().get(i), reply.get(at) == 1, reply.get(at + 1),
          now.plusMillis(reply.get(at + 2)), Duration.ofMillis(reply.get(at + 3))));
    }
    return Decision.evaluated(creatorId, plan.name(), reply.get(0) == 1, states, now, reply.get(1) == 1);
  }

  private static String scriptAlgorithm(Algorithm algorithm) {
    return switch (algorithm) {
      case SLIDING_WINDOW -> "sliding";
      case TOKEN_BUCKET -> "bucket";
      case FIXED_WINDOW -> "fixed";
    };
  }

  /** Builder; the defaults are documented on each setter. */
  public static final class Builder {
    private final RedisPort redis;
    private final PlanCatalog plans;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;
    private LongSupplier timeOverrideMicros;

    private Builder(RedisPort redis, PlanCatalog plans) {
      this.redis = Objects.requireNonNull(redis, "redis");
      this.plans = Objects.requireNonNull(plans, "plans");
    }

    /** Prefix of every key (default "rl"): letters, digits and . _ : - only, at most 64 characters. */
    public Builder keyPrefix(String prefix) {
      if (!isValidKeyPrefix(prefix)) {
        throw new IllegalArgumentException("key prefix '" + prefix + "' must match " + KEY_PREFIX.pattern());
      }
      this.keyPrefix = prefix;
      return this;
    }

    /** How long an allowed decision is replayed for a repeated request id (default 5 minutes). */
    public Builder idempotencyTtl(Duration ttl) {
      if (ttl.toMillis() < 1) {
        throw new IllegalArgumentException("idempotency TTL must be at least 1 ms");
      }
      this.idempotencyTtl = ttl;
      return this;
    }

    /**
     * Tests only: the script uses this clock (epoch microseconds) instead of the Redis server's TIME.
     * Production code never sets it: time always comes from Redis.
     */
    public Builder timeOverrideForTests(LongSupplier epochMicros) {
      this.timeOverrideMicros = epochMicros;
      return this;
    }

    public RateLimiter build() {
      return new RateLimiter(this);
    }
  }
}
