package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Checks and consumes every limit of a creator's plan in one Redis round trip, atomically: a check is
 * allowed only if every limit admits it, and a denied check consumes nothing. A model call reserves its
 * estimate at the check and settles its real usage after the call, each in one round trip.
 *
 * <pre>{@code
 * Decision d = limiter.checkCreatorRateLimit("creator-123", "pro");
 * if (!d.allowed()) { ... d.retryAfter() ... }
 *
 * Decision r = limiter.check("creator-123", "pro", UsageEstimate.of("gpt-4o", 1200, 4000), "gen-4f1c");
 * // call the model with max_tokens = r.maxOutputTokens(), then:
 * limiter.settle("creator-123", "pro", "gen-4f1c", Usage.of("gpt-4o", 1200, 300));
 * }</pre>
 *
 * Thread-safe; build one per process and reuse it.
 */
public final class RateLimiter implements AutoCloseable {
  public static final String DEFAULT_KEY_PREFIX = "rl";
  public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofMinutes(15);
  static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final RedisPort redis;
  private final PlanCatalog plans;
  private final String keyPrefix;
  private final LimitScript script;
  private final LimitOverrides overrides;

  RateLimiter(RateLimiterBuilder b) {
    this.redis = b.redis;
    this.plans = b.plans;
    this.keyPrefix = b.keyPrefix;
    this.script = new LimitScript(b.redis, b.keyPrefix, b.plans, b.reservationTtl, b.idempotencyTtl,
        b.timeOverrideMicros);
    LongSupplier micros = b.timeOverrideMicros;
    this.overrides = new LimitOverrides(b.redis, script, b.plans, micros == null ? Instant::now
        : () -> Instant.EPOCH.plus(micros.getAsLong(), ChronoUnit.MICROS));
  }

  public static RateLimiterBuilder builder(RedisPort redis, PlanCatalog plans) {
    return new RateLimiterBuilder(redis, plans);
  }

  /** One request for this creator on this plan, with no token estimate. */
  public Decision checkCreatorRateLimit(String creatorId, String plan) {
    return check(creatorId, plan, RequestCost.oneRequest(), null);
  }

  /**
   * Consumes {@code cost} from every limit of the plan, or nothing if any limit denies. Not a model call:
   * it takes no concurrency lease and reserves no money (a money limit still needs something left).
   *
   * @param requestId optional; a repeat of an allowed check with the same id (same creator and plan)
   *                  while its record lives returns the first decision and charges nothing more; the
   *                  check can then be settled like a reservation
   * @throws InvalidRequestException for a bad creator id, plan, cost or request id (Redis untouched)
   */
  public Decision check(String creatorId, String plan, RequestCost cost, String requestId) {
    Inputs.creatorId(creatorId);
    Plan known = plan(plan);
    Inputs.cost(cost, known);
    Inputs.requestId(requestId);
    return script.check(creatorId, known, CheckCost.plain(cost), requestId);
  }

  /**
   * Reserves a model call before it runs: its input plus the most output (between the estimate's
   * minimum and maximum) that fits every token and money limit, its requests, and a lease on every
   * concurrency limit, atomically, or nothing. {@link Decision#maxOutputTokens()} is the output reserved:
   * give it to the model as max_tokens. After the call, {@link #settle} replaces the reservation by the
   * real usage; one never settled stays charged at its estimate.
   *
   * @param requestId names the reservation for settle and release, and makes a repeat replay the first
   *                  decision; required on a plan with a concurrency limit
   * @throws InvalidRequestException for bad input, an unknown model on a plan with a money limit, or a
   *                                 request id already used on another plan (Redis untouched except then)
   */
  public Decision check(String creatorId, String plan, UsageEstimate estimate, String requestId) {
    Inputs.creatorId(creatorId);
    Plan known = plan(plan);
    Inputs.requestId(requestId);
    return script.check(creatorId, known, Inputs.estimate(estimate, known, plans.prices(), requestId), requestId);
  }

  /**
   * Replaces the reservation of {@code requestId} by what the call really spent, on every limit it was
   * charged to (a refund or an extra charge), and frees its leases, in one atomic round trip. Exactly
   * once: a repeat answers the first settlement and changes nothing.
   *
   * @throws ReservationException when the creator has no reservation with this request id, it was made
   *                              on another plan, or it has expired (it then stays charged at its estimate)
   * @throws InvalidRequestException for bad input or an unknown model on a plan with a money limit
   */
  public Settlement settle(String creatorId, String plan, String requestId, Usage usage) {
    Inputs.creatorId(creatorId);
    Plan known = plan(plan);
    Inputs.requiredRequestId(requestId);
    long[] actual = Inputs.usage(usage, known, plans.prices());
    return script.settle(creatorId, known, requestId, actual[0], actual[1]);
  }

  /**
   * Frees the concurrency leases of {@code requestId} without settling: usage stays charged at the
   * estimate (settle later, or let it expire). Releasing twice, or a lease that expired, changes
   * nothing and says so.
   *
   * @throws ReservationException when the creator has no reservation with this request id, or it was
   *                              made on another plan
   */
  public Release release(String creatorId, String plan, String requestId) {
    Inputs.creatorId(creatorId);
    Plan known = plan(plan);
    Inputs.requiredRequestId(requestId);
    return script.release(creatorId, known, requestId);
  }

  /** The state of every limit of the plan, consuming nothing. */
  public Decision status(String creatorId, String plan) {
    Inputs.creatorId(creatorId);
    return script.status(creatorId, plan(plan), CheckCost.status(null));
  }

  /** As {@link #status(String, String)}, with {@link Decision#maxOutputTokens()} priced for {@code model}. */
  public Decision status(String creatorId, String plan, String model) {
    Inputs.creatorId(creatorId);
    Plan known = plan(plan);
    return script.status(creatorId, known, CheckCost.status(Inputs.price(model, known, plans.prices()).orElse(null)));
  }

  /**
   * Deletes the creator's usage of every limit of every plan, leases included (one DEL in the creator's
   * slot). Request records are left to expire: a settle after a reset refunds nothing it cannot find.
   */
  public ResetResult reset(String creatorId) {
    Inputs.creatorId(creatorId);
    try {
      return ResetResult.done(creatorId, redis.delete(script.keysOf(creatorId, plans.allLimits())));
    } catch (RedisPortException e) {
      return ResetResult.unavailable(creatorId, e.failure());
    }
  }

  /**
   * Carries usage counted elsewhere over (a migration from another limiter): for each named limit of the
   * plan, the usage of its current window becomes the larger of the usage now and the amount given, the
   * amount at most the limit in force (a creator's override included), in one atomic round trip. Usage is
   * never lowered, so a repeated call changes nothing and nothing counted since is lost.
   *
   * @param amounts limit name to usage, in the limit's unit (micro-dollars for money)
   * @throws InvalidRequestException for a bad creator id or plan, no amount, a name that is not a limit of the
   *                                 plan, a concurrency limit, or an amount out of range (Redis untouched)
   */
  public UsageSetResult setUsage(String creatorId, String plan, Map<String, Long> amounts) {
    Inputs.creatorId(creatorId);
    Plan known = plan(plan);
    return script.setUsage(creatorId, known, UsageAmounts.perLimit(known, amounts));
  }

  /**
   * Gives the creator other amounts for the named limits, in every plan that has them, until
   * {@code expiresAt}; replaces any earlier override of the creator. Applied by every later check, in
   * the same round trip.
   *
   * @param limits limit name to amount, in the limit's unit (micro-dollars for money)
   * @param setBy  who sets it (kept and shown; "unknown" when null)
   * @throws InvalidRequestException for an unknown limit, an amount out of range, an expiry in the past or
   *                                 more than 366 days ahead, or a missing reason (nothing is written)
   * @throws RedisPortException      when Redis cannot be reached
   */
  public LimitOverride setOverride(String creatorId, Map<String, Long> limits, Instant expiresAt, String reason,
      String setBy) {
    return overrides.set(creatorId, limits, expiresAt, reason, setBy);
  }

  /** The creator's override, unless there is none or it has expired. @throws RedisPortException when Redis cannot be reached */
  public Optional<LimitOverride> override(String creatorId) {
    return overrides.get(creatorId);
  }

  /** Removes the creator's override; false when there was none. @throws RedisPortException when Redis cannot be reached */
  public boolean removeOverride(String creatorId) {
    return overrides.remove(creatorId);
  }

  /** Every Redis key the creator's usage of any plan may occupy (for diagnostics and benchmarks). */
  public List<String> keysOf(String creatorId) {
    Inputs.creatorId(creatorId);
    return script.keysOf(creatorId, plans.allLimits());
  }

  /**
   * The keys holding one limit's state for the creator: the usage hash it shares with the creator's other
   * window, bucket and fixed limits (a field named after the limit), or a sliding log's or a lease's own keys.
   */
  public List<String> keysOf(String creatorId, Limit limit) {
    Inputs.creatorId(creatorId);
    return script.stateKeysOf(creatorId, limit);
  }

  /** Letters, digits and . _ : - only, 1 to 64 characters. */
  public static boolean isValidKeyPrefix(String prefix) {
    return prefix != null && KEY_PREFIX.matcher(prefix).matches();
  }

  public PlanCatalog plans() {
    return plans;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  /** Closes pooled Redis connections not in use (before a SnapStart snapshot); the next check reconnects. */
  public void closeIdleConnections() {
    redis.closeIdleConnections();
  }

  @Override
  public void close() {
    redis.close();
  }

  private Plan plan(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidRequestException("tier", "tier is required; known plans: "
          + String.join(", ", plans.planNames()));
    }
    return plans.plan(name).orElseThrow(() -> new UnknownPlanException(name, plans.planNames()));
  }
}
