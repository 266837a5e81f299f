package com.huntaze.ratelimit;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The code of {@code limits/} as Redis runs it: one library, loaded once per node with FUNCTION LOAD and called
 * with FCALL (functions survive restarts and failovers, and the library's top level runs once, not per call).
 * A server without functions, or an ACL user not granted them, gets the same code as a script run with EVALSHA.
 * Either way a call is one round trip; only the first call on a node that lacks the code pays for its load.
 */
final class LimitLibrary {
  /** The parts, concatenated in this order. */
  static final List<String> PARTS = List.of("limits/prologue.lua", "limits/counters.lua", "limits/logs.lua",
      "limits/state.lua", "limits/check.lua", "limits/modes.lua");
  private static final String BODY = readParts();
  /**
   * Named after its code (CRC-32 and length: cheap at start-up, where SHA-1 over the whole code costs tens of
   * milliseconds), so that two versions deployed side by side never call each other's.
   */
  static final String FUNCTION = "ratelimit_" + fingerprint(BODY);
  private static final String LIBRARY = "#!lua name=" + FUNCTION + "\n" + BODY
      + "redis.register_function('" + FUNCTION + "', run)\n";
  private static final String SCRIPT = BODY + "return run(KEYS, ARGV)\n";

  /** Error replies that name a passing state of the server, not a lasting refusal. */
  private static final List<String> PASSING = List.of("OOM", "BUSY", "LOADING", "TRYAGAIN", "MASTERDOWN", "READONLY",
      "CLUSTERDOWN");

  private final RedisPort redis;
  /** False once the server has shown it has no functions for us: every call is then a script. */
  private volatile boolean functions = true;
  /** The script's SHA-1, computed when a server first needs the script. */
  private volatile String scriptSha;

  LimitLibrary(RedisPort redis) {
    this.redis = redis;
  }

  /** Runs the code with these keys and arguments; loads it first on a node that lacks it. */
  List<Long> call(List<String> keys, List<String> args) {
    if (functions) {
      try {
        return redis.fcall(FUNCTION, keys, args);
      } catch (RedisPortException e) {
        if (e.notLoaded() && load(keys.get(0))) {
          return redis.fcall(FUNCTION, keys, args);
        }
        if (!e.notLoaded() && !e.unsupported()) {
          throw e;
        }
        functions = false;
      }
    }
    return evalSha(keys, args);
  }

  /**
   * False when the server refuses the library for good (no functions, an ACL without FUNCTION, code it will not
   * register): use the script. A refusal that lasts only as long as the server's state (out of memory, busy,
   * loading, a failover) fails this call and leaves functions to the next one.
   */
  private boolean load(String routingKey) {
    try {
      redis.functionLoad(LIBRARY, routingKey);
      return true;
    } catch (RedisPortException e) {
      RedisFailure failure = e.failure();
      boolean passing = failure.kind() == RedisFailure.Kind.REDIS_ERROR && PASSING.stream()
          .anyMatch(String.valueOf(failure.message())::startsWith);
      if (e.unsupported() || failure.kind() == RedisFailure.Kind.AUTH
          || failure.kind() == RedisFailure.Kind.REDIS_ERROR && !passing) {
        return false;
      }
      throw e;
    }
  }

  /** By SHA; a server that lost its script cache (restart, failover, SCRIPT FLUSH) gets it again, once. */
  private List<Long> evalSha(List<String> keys, List<String> args) {
    if (scriptSha == null) {
      scriptSha = sha1Hex(SCRIPT);
    }
    try {
      return redis.evalSha(scriptSha, keys, args);
    } catch (RedisPortException e) {
      if (!e.notLoaded()) {
        throw e;
      }
      redis.scriptLoad(SCRIPT, keys.get(0));
      return redis.evalSha(scriptSha, keys, args);
    }
  }

  private static String readParts() {
    StringBuilder script = new StringBuilder();
    for (String part : PARTS) {
      try (InputStream in = LimitLibrary.class.getResourceAsStream(part)) {
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

  private static String fingerprint(String code) {
    byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return Long.toHexString(crc.getValue()) + "_" + Integer.toHexString(bytes.length);
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
