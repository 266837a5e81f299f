package com.huntaze.ratelimit.jedis;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.util.List;

/**
 * The limiter's port when its password comes from a secret: an operation whose login Redis refuses (WRONGPASS at
 * AUTH, or NOAUTH before the command) renews the login ({@link RenewableLogin}) and runs once more on a new
 * connection. Always safe, even for a check without a request id: a refused login means Redis ran nothing of
 * this attempt ({@link RedisFailure#mayHaveBeenApplied()} false), so the retry cannot charge twice. Every other
 * failure passes through unchanged, and {@code LimitScript} applies its own rule to it (a broken connection is
 * retried only by calls that cannot double-charge). No lambdas: this is on the first request's path.
 */
final class RenewingRedisPort implements RedisPort {
  private final RedisPort port;
  private final RenewableLogin login;

  RenewingRedisPort(RedisPort port, RenewableLogin login) {
    this.port = port;
    this.login = login;
  }

  @Override
  public List<Long> fcall(String function, List<String> keys, List<String> args) {
    long seen = login.generation();
    try {
      return port.fcall(function, keys, args);
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      return port.fcall(function, keys, args);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public void functionLoad(String library, String routingKey) {
    long seen = login.generation();
    try {
      port.functionLoad(library, routingKey);
      return;
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      port.functionLoad(library, routingKey);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public List<Long> evalSha(String sha1, List<String> keys, List<String> args) {
    long seen = login.generation();
    try {
      return port.evalSha(sha1, keys, args);
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      return port.evalSha(sha1, keys, args);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public String scriptLoad(String script, String routingKey) {
    long seen = login.generation();
    try {
      return port.scriptLoad(script, routingKey);
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      return port.scriptLoad(script, routingKey);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public String get(String key) {
    long seen = login.generation();
    try {
      return port.get(key);
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      return port.get(key);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public void setUntil(String key, String value, long expireAtMillis) {
    long seen = login.generation();
    try {
      port.setUntil(key, value, expireAtMillis);
      return;
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      port.setUntil(key, value, expireAtMillis);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public long delete(List<String> keys) {
    long seen = login.generation();
    try {
      return port.delete(keys);
    } catch (RedisPortException e) {
      renewOrThrow(e, seen);
    }
    try {
      return port.delete(keys);
    } catch (RedisPortException e) {
      throw afterRenewal(e);
    }
  }

  @Override
  public void closeIdleConnections() {
    port.closeIdleConnections();
  }

  @Override
  public void close() {
    port.close();
  }

  /** WRONGPASS or NOAUTH: the login itself was refused, before any command ran. */
  static boolean loginRefused(RedisPortException e) {
    return e.failure().kind() == RedisFailure.Kind.AUTH && !e.failure().mayHaveBeenApplied();
  }

  /** Returns when the call should run again with a renewed login; throws {@code e} (with a note) otherwise. */
  private void renewOrThrow(RedisPortException e, long seenGeneration) {
    if (!loginRefused(e)) {
      throw e;
    }
    RenewableLogin.Renewal renewal = login.renewAfterRefusal(seenGeneration);
    if (!renewal.retry()) {
      throw noted(e, renewal.note());
    }
  }

  private static RedisPortException afterRenewal(RedisPortException e) {
    return loginRefused(e) ? noted(e, "the secret was read again and its new value was refused too") : e;
  }

  private static RedisPortException noted(RedisPortException e, String note) {
    RedisFailure failure = e.failure();
    return new RedisPortException(new RedisFailure(failure.kind(), failure.message() + " (" + note + ")",
        failure.mayHaveBeenApplied()), e);
  }
}
