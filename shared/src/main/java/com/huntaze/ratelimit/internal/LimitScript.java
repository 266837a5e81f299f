package com.huntaze.ratelimit.internal;

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

/**
 * The Lua script that holds the whole decision, sent by SHA-1. When the server answers NOSCRIPT (its
 * script cache was flushed by a restart or failover) the script is loaded on the key's node and the
 * call repeated once, so callers never see it.
 */
public final class LimitScript {
  static final String RESOURCE = "/com/huntaze/ratelimit/internal/limits.lua";

  private final String source;
  private final String sha1;

  private LimitScript(String source) {
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  public static LimitScript load() {
    try (InputStream in = LimitScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + RESOURCE);
      }
      return new LimitScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String sha1() {
    return sha1;
  }

  public List<Long> run(RedisPort redis, List<String> keys, List<String> args) {
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

  private static String sha1Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
