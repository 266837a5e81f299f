package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Unit;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable answer to a check or a status call: allowed, denied (and by which limit), or Redis
 * unavailable (and why), with the state of every limit of the plan.
 */
public final class Decision {
  /** The three outcomes a caller must handle. */
  public enum Outcome {
    ALLOWED,
    DENIED,
    /**
     * Redis did not answer; the caller chooses fail-open or fail-closed. When the failure may have come
     * after Redis ran the check ({@link RedisFailure#mayHaveBeenApplied()}) the check may have been
     * charged: a retry with the same request id is safe, one without may charge twice.
     */
    REDIS_UNAVAILABLE
  }

  private final Outcome outcome;
  private final String creatorId;
  private final String plan;
  private final List<LimitState> limits;
  private final Instant evaluatedAt;
  private final boolean replayed;
  private final RedisFailure failure;
  private final long maxOutputTokens;
  private final long expiredLeases;

  private Decision(Outcome outcome, String creatorId, String plan, List<LimitState> limits,
      Instant evaluatedAt, boolean replayed, RedisFailure failure, long maxOutputTokens, long expiredLeases) {
    this.outcome = Objects.requireNonNull(outcome);
    this.creatorId = Objects.requireNonNull(creatorId);
    this.plan = Objects.requireNonNull(plan);
    this.limits = List.copyOf(limits);
    this.evaluatedAt = evaluatedAt;
    this.replayed = replayed;
    this.failure = failure;
    this.maxOutputTokens = maxOutputTokens;
    this.expiredLeases = expiredLeases;
  }

  /** Allowed or denied, as Redis decided; {@code replayed} when answered from a request id. */
  public static Decision evaluated(String creatorId, String plan, boolean allowed, List<LimitState> limits,
      Instant evaluatedAt, boolean replayed) {
    return evaluated(creatorId, plan, allowed, limits, evaluatedAt, replayed, 0, 0);
  }

  /**
   * As above, with the output a model call may produce now ({@link #maxOutputTokens()}) and the expired
   * leases this check swept away.
   */
  public static Decision evaluated(String creatorId, String plan, boolean allowed, List<LimitState> limits,
      Instant evaluatedAt, boolean replayed, long maxOutputTokens, long expiredLeases) {
    return new Decision(allowed ? Outcome.ALLOWED : Outcome.DENIED, creatorId, plan, limits,
        Objects.requireNonNull(evaluatedAt), replayed, null, maxOutputTokens, expiredLeases);
  }

  public static Decision unavailable(String creatorId, String plan, RedisFailure failure) {
    return new Decision(Outcome.REDIS_UNAVAILABLE, creatorId, plan, List.of(), null, false,
        Objects.requireNonNull(failure), 0, 0);
  }

  public Outcome outcome() {
    return outcome;
  }

  /** True only when Redis admitted the check (a REDIS_UNAVAILABLE decision is not allowed). */
  public boolean allowed() {
    return outcome == Outcome.ALLOWED;
  }

  public String creatorId() {
    return creatorId;
  }

  public String plan() {
    return plan;
  }

  /** Every limit of the plan, in plan order; empty when Redis was unavailable. */
  public List<LimitState> limits() {
    return limits;
  }

  /** Redis server time of the decision; empty when Redis was unavailable. */
  public Optional<Instant> evaluatedAt() {
    return Optional.ofNullable(evaluatedAt);
  }

  /** True when this is the stored first decision for a repeated request id (nothing was charged). */
  public boolean replayed() {
    return replayed;
  }

  /**
   * The most output tokens a model call may produce now without overshooting any token or money limit.
   * An allowed reservation: the output it reserved (between its minimum and maximum), the value to give
   * the model as max_tokens. A denied one: what would fit now with the same input (0 if none). A plain
   * check or a status: what a call with no input could produce after this check (money limits count only
   * when a model was named). 0 when Redis was unavailable.
   */
  public long maxOutputTokens() {
    return maxOutputTokens;
  }

  /** Leases that had expired (their holder never settled or released) and this check swept away. */
  public long expiredLeases() {
    return expiredLeases;
  }

  public Optional<RedisFailure> failure() {
    return Optional.ofNullable(failure);
  }

  /** The limit that denied: of those that did not fit, the one that frees up last. */
  public Optional<LimitState> deniedBy() {
    if (outcome != Outcome.DENIED) {
      return Optional.empty();
    }
    return limits.stream().filter(l -> !l.fits() && l.limit().enforced())
        .max(Comparator.comparing(LimitState::retryAfter));
  }

  /** The shadow limits ({@code "enforce": false}) that would have denied this check: reported, not enforced. */
  public List<LimitState> shadowDenials() {
    return limits.stream().filter(LimitState::shadowDenied).toList();
  }

  /** How long until the same check could be admitted (all limits at once); zero unless denied. */
  public Duration retryAfter() {
    return deniedBy().map(LimitState::retryAfter).orElse(Duration.ZERO);
  }

  /**
   * The limit a one-number summary shows (an Upstash-style limit / remaining / reset): the
   * denying limit, else the budget (not a concurrency limit) with the smallest share of its capacity left.
   */
  public Optional<LimitState> tightest() {
    if (outcome == Outcome.DENIED) {
      return deniedBy();
    }
    // calls in flight are not a budget: a lease limit is the summary only when it denied, or alone
    Comparator<LimitState> shareLeft = Comparator.comparingDouble(l -> (double) l.remaining() / l.limit().capacity());
    Optional<LimitState> budget = limits.stream().filter(l -> l.limit().unit() != Unit.CONCURRENT).min(shareLeft);
    return budget.isPresent() ? budget : limits.stream().min(shareLeft);
  }

  /** The tightest limit's capacity, the most it can hold (0 when Redis was unavailable). */
  public long limit() {
    return tightest().map(l -> l.limit().capacity()).orElse(0L);
  }

  /** The tightest limit's remaining units (0 when Redis was unavailable). */
  public long remaining() {
    return tightest().map(LimitState::remaining).orElse(0L);
  }

  /** When the tightest limit is fully available again; empty when Redis was unavailable. */
  public Optional<Instant> resetAt() {
    return tightest().map(LimitState::resetAt);
  }

  @Override
  public String toString() {
    return "Decision{" + outcome + ", creator=" + creatorId + ", plan=" + plan
        + deniedBy().map(l -> ", deniedBy=" + l.name() + ", retryAfter=" + l.retryAfter()).orElse("")
        + (replayed ? ", replayed" : "") + failure().map(f -> ", failure=" + f).orElse("") + "}";
  }
}
