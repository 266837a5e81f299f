package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The one owner of the protocol of the script in {@code limits/} beside this class: the key names and
 * their order, the arguments, the NOSCRIPT reload and the one retry that cannot double-charge. The
 * replies are decoded by {@link ScriptReplies}.
 *
 * <p>Keys: {@code prefix:{creatorId}:limitName} per limit (a sliding log also has
 * {@code ...:limitName:sum}, its running total), then the creator's override
 * {@code prefix:{creatorId}:@override}, then optionally the request record
 * {@code prefix:{creatorId}:req/requestId} ('/' never appears in a limit's key). The creator id is the
 * Cluster hash tag, so every key of a call sits in one slot.
 */
final class LimitScript {
  /** The script's parts, concatenated in this order into one script (one SHA, one round trip). */
  static final List<String> PARTS = List.of("limits/prologue.lua", "limits/algorithms.lua",
      "limits/leases.lua", "limits/modes.lua");
  private static final long MONEY_SPLIT = 1_000_000;

  private final RedisPort redis;
  private final String prefix;
  private final Duration recordTtl;
  private final Duration reservationTtl;
  private final LongSupplier timeOverrideMicros;
  private final String source = readParts();
  private final String sha1 = sha1Hex(source);

  /**
   * @param reservationTtl how long a settle is accepted after its check
   * @param idempotencyTtl how long a request record outlives its reservation, so that repeats are still
   *                       answered (replayed, or refused as expired) rather than unknown
   */
  LimitScript(RedisPort redis, String prefix, Duration reservationTtl, Duration idempotencyTtl,
      LongSupplier timeOverrideMicros) {
    this.redis = redis;
    this.prefix = prefix;
    this.reservationTtl = reservationTtl;
    this.recordTtl = reservationTtl.plus(idempotencyTtl);
    this.timeOverrideMicros = timeOverrideMicros;
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

  /** Every key these limits may have for the creator, in the order the script reads them. */
  List<String> keysOf(String creatorId, Collection<Limit> limits) {
    List<String> keys = new ArrayList<>(limits.size() * 2 + 1);
    for (Limit limit : limits) {
      String key = creatorPart(creatorId) + limit.name();
      keys.add(key);
      if (limit.algorithm() == Algorithm.SLIDING_LOG) {
        keys.add(key + ":sum");
      }
    }
    return keys;
  }

  private List<String> keys(String creatorId, Plan plan, String requestId) {
    List<String> keys = keysOf(creatorId, plan.limits());
    keys.add(overrideKey(creatorId));
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
    List<String> args = new ArrayList<>(13 + plan.limits().size() * 7);
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
    for (Limit limit : plan.limits()) {
      args.add(switch (limit.algorithm()) {
        case SLIDING_WINDOW -> "window";
        case SLIDING_LOG -> "sliding";
        case TOKEN_BUCKET -> "bucket";
        case FIXED_WINDOW -> "fixed";
        case LEASE -> "lease";
      });
      args.add(switch (limit.unit()) {
        case REQUESTS -> "r";
        case TOKENS -> "t";
        case USD -> "u";
        case CONCURRENT -> "c";
      });
      args.add(Long.toString(limit.limit()));
      args.add(limit.window().isCalendar()
          ? limit.window().calendarUnit().name().toLowerCase(Locale.ROOT)
          : Long.toString(limit.window().duration().toNanos() / 1000));
      args.add(Long.toString(limit.burst()));
      args.add(Long.toString(cost.base(limit.unit())));
      args.add(limit.enforced() ? "1" : "0");
    }
    return args;
  }

  private <T> T run(List<String> keys, List<String> args, boolean repeatable, Function<List<Long>, T> decode,
      Function<RedisFailure, T> unavailable) {
    try {
      return decode.apply(evalSha(keys, args));
    } catch (ScriptReplies.MismatchException e) {
      return unavailable.apply(e.failure());
    } catch (RedisPortException first) {
      // A pooled connection broken by a restart or failover fails once, then is replaced.
      if (repeatable && first.failure().kind() == RedisFailure.Kind.CONNECTION) {
        try {
          return decode.apply(evalSha(keys, args));
        } catch (ScriptReplies.MismatchException e) {
          return unavailable.apply(e.failure());
        } catch (RedisPortException second) {
          return unavailable.apply(second.failure());
        }
      }
      return unavailable.apply(first.failure());
    }
  }

  /** By SHA; a server that lost its script cache (restart, failover, SCRIPT FLUSH) gets it again, once. */
  private List<Long> evalSha(List<String> keys, List<String> args) {
    try {
      return redis.evalSha(sha1, keys, args);
    } catch (RedisPortException e) {
      if (!e.noScript()) {
        throw e;
      }
      redis.scriptLoad(source, keys.get(0));
      return redis.evalSha(sha1, keys, args);
    }
  }

  private static String readParts() {
    StringBuilder script = new StringBuilder();
    for (String part : PARTS) {
      try (InputStream in = LimitScript.class.getResourceAsStream(part)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + part);
        }
        script.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return script.toString();
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
