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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one owner of the protocol of {@code limits.lua}, the script beside this class: the key names and
 * their order, the arguments, the reply, the NOSCRIPT reload and the one retry that cannot double-charge.
 *
 * <p>Keys: {@code prefix:{creatorId}:limitName} per limit (a sliding window also has
 * {@code ...:limitName:sum}, its running total), then optionally {@code prefix:{creatorId}:req:plan:requestId}.
 * The creator id is the Cluster hash tag, so every key of a check sits in one slot.
 */
final class LimitScript {
  private static final String RESOURCE = "limits.lua";
  private static final int REPLY_HEADER = 3;
  private static final int REPLY_PER_LIMIT = 4;

  private final RedisPort redis;
  private final String prefix;
  private final Duration requestIdTtl;
  private final LongSupplier timeOverrideMicros;
  private final String source = readResource();
  private final String sha1 = sha1Hex(source);

  LimitScript(RedisPort redis, String prefix, Duration requestIdTtl, LongSupplier timeOverrideMicros) {
    this.redis = redis;
    this.prefix = prefix;
    this.requestIdTtl = requestIdTtl;
    this.timeOverrideMicros = timeOverrideMicros;
  }

  /** Consumes {@code cost} from every limit, or nothing; a request id makes a repeat replay the first answer. */
  Decision check(String creatorId, Plan plan, RequestCost cost, String requestId) {
    List<String> keys = new ArrayList<>(keysOf(creatorId, plan.limits()));
    long ttl = 0;
    if (requestId != null) {
      keys.add(creatorPart(creatorId) + "req:" + plan.name() + ":" + requestId);
      ttl = requestIdTtl.toMillis();
    }
    // A repeat cannot double-charge only when a request id makes it replay the first answer.
    return run(creatorId, plan, keys, arguments("check", ttl, plan, cost), requestId != null);
  }

  /** Reads every limit, consuming nothing. */
  Decision status(String creatorId, Plan plan) {
    return run(creatorId, plan, keysOf(creatorId, plan.limits()),
        arguments("status", 0, plan, new RequestCost(0, 0)), true);
  }

  /** Every key these limits may have for the creator, in the order the script reads them. */
  List<String> keysOf(String creatorId, Collection<Limit> limits) {
    List<String> keys = new ArrayList<>(limits.size() * 2);
    for (Limit limit : limits) {
      String key = creatorPart(creatorId) + limit.name();   // limit names hold no ':', unlike "req:"
      keys.add(key);
      if (limit.algorithm() == Algorithm.SLIDING_WINDOW) {
        keys.add(key + ":sum");
      }
    }
    return keys;
  }

  private String creatorPart(String creatorId) {
    return prefix + ":{" + creatorId + "}:";
  }

  private List<String> arguments(String mode, long requestIdTtlMillis, Plan plan, RequestCost cost) {
    List<String> args = new ArrayList<>(3 + plan.limits().size() * 5);
    args.add(mode);
    args.add(timeOverrideMicros == null ? "" : Long.toString(timeOverrideMicros.getAsLong()));
    args.add(Long.toString(requestIdTtlMillis));
    for (Limit limit : plan.limits()) {
      args.add(switch (limit.algorithm()) {
        case SLIDING_WINDOW -> "sliding";
        case TOKEN_BUCKET -> "bucket";
        case FIXED_WINDOW -> "fixed";
      });
      args.add(Long.toString(limit.limit()));
      args.add(limit.window().isCalendar()
          ? limit.window().calendarUnit().name().toLowerCase(Locale.ROOT)
          : Long.toString(limit.window().duration().toNanos() / 1000));
      args.add(Long.toString(limit.burst()));
      args.add(Long.toString(cost.units(limit.unit())));
    }
    return args;
  }

  private Decision run(String creatorId, Plan plan, List<String> keys, List<String> args, boolean repeatable) {
    try {
      return decode(creatorId, plan, evalSha(keys, args));
    } catch (RedisPortException first) {
      // A pooled connection broken by a restart or failover fails once, then is replaced.
      if (repeatable && first.failure().kind() == RedisFailure.Kind.CONNECTION) {
        try {
          return decode(creatorId, plan, evalSha(keys, args));
        } catch (RedisPortException second) {
          return Decision.unavailable(creatorId, plan.name(), second.failure());
        }
      }
      return Decision.unavailable(creatorId, plan.name(), first.failure());
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

  /** { allowed, replayed, nowMs, then per limit: fits, remaining, resetAfterMs, retryAfterMs }. */
  private static Decision decode(String creatorId, Plan plan, List<Long> reply) {
    int n = plan.limits().size();
    if (reply.size() != REPLY_HEADER + REPLY_PER_LIMIT * n) {
      return Decision.unavailable(creatorId, plan.name(), new RedisFailure(RedisFailure.Kind.REDIS_ERROR,
          "script reply of " + reply.size() + " values does not match plan '" + plan.name() + "' of " + n
              + " limits (a request id reused across a plan change?)"));
    }
    Instant now = Instant.ofEpochMilli(reply.get(2));
    List<LimitState> states = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int at = REPLY_HEADER + REPLY_PER_LIMIT * i;
      states.add(new LimitState(plan.limits().get(i), reply.get(at) == 1, reply.get(at + 1),
          now.plusMillis(reply.get(at + 2)), Duration.ofMillis(reply.get(at + 3))));
    }
    return Decision.evaluated(creatorId, plan.name(), reply.get(0) == 1, states, now, reply.get(1) == 1);
  }

  private static String readResource() {
    try (InputStream in = LimitScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
