package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.Unit;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Decodes the script's integer replies (their layout is documented in {@code limits/prologue.lua}). */
final class ScriptReplies {
  private static final long ALLOWED = 1;
  private static final long OTHER_PLAN = 2;
  private static final long UNKNOWN_REQUEST = 3;
  private static final long SETTLE_EXPIRED = 4;

  private ScriptReplies() {
  }

  /** A reply whose size does not fit the plan: the plan document changed under a stored reply. */
  static final class MismatchException extends RuntimeException {
    private final transient RedisFailure failure;

    MismatchException(String message) {
      super(message, null, false, false);
      this.failure = new RedisFailure(RedisFailure.Kind.REDIS_ERROR, message);
    }

    RedisFailure failure() {
      return failure;
    }
  }

  /**
   * { outcome, replayed, nowMs, maxOutputTokens, expiredLeases, per limit: fits, remaining, resetAfterMs,
   * retryAfterMs, charged, overridden, limit }.
   */
  static Decision decision(String creatorId, Plan plan, String requestId, List<Long> reply) {
    if (reply.get(0) == OTHER_PLAN) {
      throw new ReservationException(ReservationException.Reason.OTHER_PLAN, "requestId '" + requestId
          + "' was already used by a check of creator '" + creatorId + "' on another plan; a request id names"
          + " one call, so use a new one for this call");
    }
    List<Limit> limits = plan.limits();
    expectSize(reply, 5, 7, plan);
    Instant now = Instant.ofEpochMilli(reply.get(2));
    List<LimitState> states = new ArrayList<>(limits.size());
    for (int i = 0; i < limits.size(); i++) {
      int at = 5 + 7 * i;
      boolean overridden = reply.get(at + 5) == 1;
      Limit limit = overridden ? limits.get(i).withAmount(reply.get(at + 6)) : limits.get(i);
      states.add(new LimitState(limit, reply.get(at) == 1, reply.get(at + 1), now.plusMillis(reply.get(at + 2)),
          Duration.ofMillis(reply.get(at + 3)), reply.get(at + 4), overridden));
    }
    return Decision.evaluated(creatorId, plan.name(), reply.get(0) == ALLOWED, states, now, reply.get(1) == 1,
        reply.get(3), reply.get(4));
  }

  /**
   * { outcome, replayed, nowMs, reservedAtMs, per limit: kind, reserved, actual, applied, remaining,
   * resetAfterMs, overridden, limit }.
   */
  static Settlement settlement(String creatorId, Plan plan, String requestId, Duration reservationTtl,
      List<Long> reply) {
    long outcome = reply.get(0);
    if (outcome != ALLOWED) {
      throw refused(outcome, creatorId, plan, requestId, "settle", reservationTtl, reply);
    }
    List<Limit> limits = plan.limits();
    expectSize(reply, 4, 8, plan);
    Instant now = Instant.ofEpochMilli(reply.get(2));
    Adjustment.Kind[] kinds = Adjustment.Kind.values();
    List<Adjustment> adjustments = new ArrayList<>(limits.size());
    List<LimitState> states = new ArrayList<>(limits.size());
    for (int i = 0; i < limits.size(); i++) {
      int at = 4 + 8 * i;
      boolean overridden = reply.get(at + 6) == 1;
      Limit limit = overridden ? limits.get(i).withAmount(reply.get(at + 7)) : limits.get(i);
      adjustments.add(new Adjustment(limit, kinds[Math.toIntExact(reply.get(at))], reply.get(at + 1),
          reply.get(at + 2), reply.get(at + 3)));
      long remaining = reply.get(at + 4);
      states.add(new LimitState(limit, remaining > 0, remaining, now.plusMillis(reply.get(at + 5)), Duration.ZERO,
          0, overridden));
    }
    return Settlement.settled(creatorId, plan.name(), requestId, adjustments, states,
        Instant.ofEpochMilli(reply.get(3)), now, reply.get(1) == 1);
  }

  /** The status reply (see {@link #decision}), then per limit: usage before, usage after. */
  static UsageSetResult usageSet(String creatorId, Plan plan, long[] requested, List<Long> reply) {
    List<Limit> limits = plan.limits();
    expectSize(reply, 5, 9, plan);
    int statusSize = 5 + 7 * limits.size();
    Decision state = decision(creatorId, plan, null, reply.subList(0, statusSize));
    List<UsageSetResult.Change> changes = new ArrayList<>();
    for (int i = 0; i < limits.size(); i++) {
      if (requested[i] != UsageAmounts.NOT_NAMED) {
        int at = statusSize + 2 * i;
        changes.add(new UsageSetResult.Change(state.limits().get(i).limit(), requested[i], reply.get(at),
            reply.get(at + 1)));
      }
    }
    return UsageSetResult.done(creatorId, plan.name(), changes, state);
  }

  /** { outcome, replayed, nowMs, per limit: kind, remaining, resetAfterMs }. */
  static Release release(String creatorId, Plan plan, String requestId, List<Long> reply) {
    long outcome = reply.get(0);
    if (outcome != ALLOWED) {
      throw refused(outcome, creatorId, plan, requestId, "release", Duration.ZERO, reply);
    }
    List<Limit> limits = plan.limits();
    expectSize(reply, 3, 3, plan);
    Instant now = Instant.ofEpochMilli(reply.get(2));
    Release.Kind[] kinds = Release.Kind.values();
    List<Release.Lease> leases = new ArrayList<>();
    for (int i = 0; i < limits.size(); i++) {
      int at = 3 + 3 * i;
      if (limits.get(i).unit() == Unit.CONCURRENT) {
        leases.add(new Release.Lease(limits.get(i), kinds[Math.toIntExact(reply.get(at))], reply.get(at + 1),
            now.plusMillis(reply.get(at + 2))));
      }
    }
    return Release.done(creatorId, plan.name(), requestId, leases, now);
  }

  private static ReservationException refused(long outcome, String creatorId, Plan plan, String requestId,
      String action, Duration reservationTtl, List<Long> reply) {
    if (outcome == OTHER_PLAN) {
      return new ReservationException(ReservationException.Reason.OTHER_PLAN, "requestId '" + requestId
          + "' was reserved on another plan of creator '" + creatorId + "', not on '" + plan.name() + "'; " + action
          + " it with the tier of its check");
    }
    if (outcome == SETTLE_EXPIRED) {
      Instant reservedAt = Instant.ofEpochMilli(reply.get(3));
      return new ReservationException(ReservationException.Reason.EXPIRED, "the reservation of requestId '"
          + requestId + "' (checked at " + reservedAt + ") expired at " + reservedAt.plus(reservationTtl)
          + ": reservations can be settled for " + spoken(reservationTtl) + ", after which they stay"
          + " charged at their estimate; this late settle changed nothing");
    }
    if (outcome == UNKNOWN_REQUEST) {
      return new ReservationException(ReservationException.Reason.UNKNOWN, "creator '" + creatorId
          + "' has no reservation with requestId '" + requestId + "': no allowed check sent it, or its record has"
          + " expired; a " + action + " needs the requestId of an allowed check of the same creator");
    }
    throw new MismatchException("unexpected " + action + " outcome " + outcome);
  }

  /** "15 minutes", "90 seconds", "1 second". */
  static String spoken(Duration d) {
    long seconds = d.toSeconds();
    if (seconds % 60 == 0 && seconds > 0) {
      return plural(seconds / 60, "minute");
    }
    return plural(Math.max(seconds, 1), "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static void expectSize(List<Long> reply, int header, int perLimit, Plan plan) {
    int n = plan.limits().size();
    if (reply.size() != header + perLimit * n) {
      throw new MismatchException("script reply of " + reply.size() + " values does not match plan '" + plan.name()
          + "' of " + n + " limits (a request id reused across a plan change?)");
    }
  }
}
