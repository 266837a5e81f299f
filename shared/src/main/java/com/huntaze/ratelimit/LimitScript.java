package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The one owner of the protocol of the script in {@code limits/} beside this class: the key names and
 * their order, the arguments, and the one retry that cannot double-charge. {@link LimitLibrary} gets the code
 * to Redis; {@link ScriptReplies} decodes the replies.
 *
 * <p>Keys: the usage hash {@code prefix:{creatorId}:@usage} (one field per window, bucket or fixed limit), the
 * override {@code prefix:{creatorId}:@override}, then {@code prefix:{creatorId}:limitName} per sliding log
 * (with {@code ...:limitName:sum}, its running total) and per lease limit, then optionally the request record
 * {@code prefix:{creatorId}:req/requestId} ('@' and '/' never appear in a limit's name). The creator id is the
 * Cluster hash tag, so every key of a call sits in one slot.
 */
final class LimitScript {
  private static final long MONEY_SPLIT = 1_000_000;

  private final LimitLibrary library;
  private final String prefix;
  private final Duration recordTtl;
  private final Duration reservationTtl;
  private final LongSupplier timeOverrideMicros;
  /** The catalog's plans' specs, built once; read by identity, so a check hashes no plan. */
  private final Map<Plan, String> specs = new IdentityHashMap<>();

  /**
   * @param reservationTtl how long a settle is accepted after its check
   * @param idempotencyTtl how long a request record outlives its reservation, so that repeats are still
   *                       answered (replayed, or refused as expired) rather than unknown
   */
  LimitScript(RedisPort redis, String prefix, PlanCatalog plans, Duration reservationTtl, Duration idempotencyTtl,
      LongSupplier timeOverrideMicros) {
    this.library = new LimitLibrary(redis);
    this.prefix = prefix;
    this.reservationTtl = reservationTtl;
    this.recordTtl = reservationTtl.plus(idempotencyTtl);
    this.timeOverrideMicros = timeOverrideMicros;
    for (String name : plans.planNames()) {
      Plan plan = plans.plan(name).orElseThrow();
      specs.put(plan, spec(plan));
    }
  }

  /** Consumes or reserves {@code cost} on every limit, or nothing; a request id makes a repeat replay the first answer. */
  Decision check(String creatorId, Plan plan, CheckCost cost, String requestId) {
    List<String> keys = keys(creatorId, plan, requestId);
    long ttl = requestId == null ? 0 : recordTtl.toMillis();
    List<String> args = arguments("check", ttl, plan, requestId, cost, cost.maxOutput(), cost.minOutput());
    // A repeat cannot double-charge only when a request id makes it replay the first answer.
    return run(keys, args, requestId != null, reply -> ScriptReplies.decision(creatorId, plan, requestId, reply),
        failure -> Decision.unavailable(creatorId, plan.name(), failure));
  }

  /** Reads every limit, consuming nothing. */
  Decision status(String creatorId, Plan plan, CheckCost cost) {
    return run(keys(creatorId, plan, null), arguments("status", 0, plan, null, cost, cost.maxOutput(), 0), true,
        reply -> ScriptReplies.decision(creatorId, plan, null, reply),
        failure -> Decision.unavailable(creatorId, plan.name(), failure));
  }

  /** Replaces the reservation of {@code requestId} by the actual usage, once. */
  Settlement settle(String creatorId, Plan plan, String requestId, long actualTokens, long actualMicros) {
    List<String> args = arguments("settle", 0, plan, requestId, CheckCost.none(),
        actualTokens, actualMicros);
    return run(keys(creatorId, plan, requestId), args, true,
        reply -> ScriptReplies.settlement(creatorId, plan, requestId, reservationTtl, reply),
        failure -> Settlement.unavailable(creatorId, plan.name(), requestId, failure));
  }

  /** Frees the leases of {@code requestId}; usage is unchanged. */
  Release release(String creatorId, Plan plan, String requestId) {
    List<String> args = arguments("release", 0, plan, requestId, CheckCost.none(), 0, 0);
    return run(keys(creatorId, plan, requestId), args, true,
        reply -> ScriptReplies.release(creatorId, plan, requestId, reply),
        failure -> Release.unavailable(creatorId, plan.name(), requestId, failure));
  }

  /**
   * Raises the usage of each limit's current window to {@code amounts[i]} (at most its capacity; never
   * lowers it), {@link UsageAmounts#NOT_NAMED} leaving the limit as it is. A repeat changes nothing more, so
   * the one retry after a broken connection is safe.
   */
  UsageSetResult setUsage(String creatorId, Plan plan, long[] amounts) {
    CheckCost cost = CheckCost.status(null);
    List<String> args = arguments("set", 0, plan, null, cost, cost.maxOutput(), 0);
    for (long amount : amounts) {
      args.add(Long.toString(amount));
    }
    return run(keys(creatorId, plan, null), args, true,
        reply -> ScriptReplies.usageSet(creatorId, plan, amounts, reply),
        failure -> UsageSetResult.unavailable(creatorId, plan.name(), failure));
  }

  /** Every key holding these limits' usage for the creator: the usage hash, then the limits' own keys. */
  List<String> keysOf(String creatorId, Collection<Limit> limits) {
    List<String> keys = new ArrayList<>(limits.size() + 2);
    keys.add(creatorPart(creatorId) + "@usage");
    for (Limit limit : limits) {
      keys.addAll(ownKeys(creatorId, limit));
    }
    return keys;
  }

  /** The keys holding one limit's state: the usage hash, or the limit's own keys (sliding log, lease). */
  List<String> stateKeysOf(String creatorId, Limit limit) {
    List<String> own = ownKeys(creatorId, limit);
    return own.isEmpty() ? List.of(creatorPart(creatorId) + "@usage") : own;
  }

  private List<String> ownKeys(String creatorId, Limit limit) {
    String key = creatorPart(creatorId) + limit.name();
    return switch (limit.algorithm()) {
      case SLIDING_LOG -> List.of(key, key + ":sum");
      case LEASE -> List.of(key);
      case SLIDING_WINDOW, TOKEN_BUCKET, FIXED_WINDOW -> List.of();
    };
  }

  private List<String> keys(String creatorId, Plan plan, String requestId) {
    List<String> keys = keysOf(creatorId, plan.limits());
    keys.add(1, overrideKey(creatorId));
    if (requestId != null) {
      keys.add(creatorPart(creatorId) + "req/" + requestId);
    }
    return keys;
  }

  /** The creator's override ('@' never appears in a limit's key). */
  String overrideKey(String creatorId) {
    return creatorPart(creatorId) + "@override";
  }

  private String creatorPart(String creatorId) {
    return prefix + ":{" + creatorId + "}:";
  }

  private List<String> arguments(String mode, long recordTtlMillis, Plan plan, String requestId, CheckCost cost,
      long eighth, long ninth) {
    List<String> args = new ArrayList<>(14 + plan.limits().size());
    args.add(mode);
    args.add(timeOverrideMicros == null ? "" : Long.toString(timeOverrideMicros.getAsLong()));
    args.add(Long.toString(recordTtlMillis));
    args.add(Long.toString(reservationTtl.toMillis()));
    args.add(plan.name());
    args.add(requestId == null ? "" : requestId);
    args.add(cost.reserves() ? "1" : "0");
    args.add(Long.toString(eighth));
    args.add(Long.toString(ninth));
    args.add(Long.toString(cost.inputMoney() / MONEY_SPLIT));
    args.add(Long.toString(cost.inputMoney() % MONEY_SPLIT));
    args.add(Long.toString(cost.outputPrice() / MONEY_SPLIT));
    args.add(Long.toString(cost.outputPrice() % MONEY_SPLIT));
    String spec = specs.get(plan);
    args.add(spec != null ? spec : spec(plan));
    for (Limit limit : plan.limits()) {
      args.add(Long.toString(cost.base(limit.unit())));
    }
    return args;
  }

  /** The plan as the script parses it (and keeps, per node, as a library): "name,algorithm,unit,limit,window,burst,enforce" per limit. */
  static String spec(Plan plan) {
    StringJoiner spec = new StringJoiner(" ");
    for (Limit limit : plan.limits()) {
      String algorithm = switch (limit.algorithm()) {
        case SLIDING_WINDOW -> "window";
        case SLIDING_LOG -> "sliding";
        case TOKEN_BUCKET -> "bucket";
        case FIXED_WINDOW -> "fixed";
        case LEASE -> "lease";
      };
      String unit = switch (limit.unit()) {
        case REQUESTS -> "r";
        case TOKENS -> "t";
        case USD -> "u";
        case CONCURRENT -> "c";
      };
      String window = limit.window().isCalendar()
          ? limit.window().calendarUnit().name().toLowerCase(Locale.ROOT)
          : Long.toString(limit.window().duration().toNanos() / 1000);
      spec.add(String.join(",", limit.name(), algorithm, unit, Long.toString(limit.limit()), window,
          Long.toString(limit.burst()), limit.enforced() ? "1" : "0"));
    }
    return spec.toString();
  }

  private <T> T run(List<String> keys, List<String> args, boolean repeatable, Function<List<Long>, T> decode,
      Function<RedisFailure, T> unavailable) {
    try {
      return decode.apply(library.call(keys, args));
    } catch (ScriptReplies.MismatchException e) {
      return unavailable.apply(e.failure());
    } catch (RedisPortException first) {
      // A pooled connection broken by a restart or failover fails once, then is replaced.
      if (repeatable && first.failure().kind() == RedisFailure.Kind.CONNECTION) {
        try {
          return decode.apply(library.call(keys, args));
        } catch (ScriptReplies.MismatchException e) {
          return unavailable.apply(e.failure());
        } catch (RedisPortException second) {
          return unavailable.apply(second.failure());
        }
      }
      return unavailable.apply(first.failure());
    }
  }
}
