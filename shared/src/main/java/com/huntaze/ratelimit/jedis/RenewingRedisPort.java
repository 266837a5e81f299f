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
 * retried only by calls that cannot double-charge).
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
    return new Twice<List<Long>>() {
      @Override
      List<Long> attempt() {
        return port.fcall(function, keys, args);
      }
    }.run();
  }

  @Override
  public void functionLoad(String library, String routingKey) {
    new Twice<Void>() {
      @Override
      Void attempt() {
        port.functionLoad(library, routingKey);
        return null;
      }
    }.run();
  }

  @Override
  public List<Long> evalSha(String sha1, List<String> keys, List<String> args) {
    return new Twice<List<Long>>() {
      @Override
      List<Long> attempt() {
        return port.evalSha(sha1, keys, args);
      }
    }.run();
  }

  @Override
  public String scriptLoad(String script, String routingKey) {
    return new Twice<String>() {
      @Override
      String attempt() {
        return port.scriptLoad(script, routingKey);
      }
    }.run();
  }

  @Override
  public String get(String key) {
    return new Twice<String>() {
      @Override
      String attempt() {
        return port.get(key);
      }
    }.run();
  }

  @Override
  public void setUntil(String key, String value, long expireAtMillis) {
    new Twice<Void>() {
      @Override
      Void attempt() {
        port.setUntil(key, value, expireAtMillis);
        return null;
      }
    }.run();
  }

  @Override
  public long delete(List<String> keys) {
    return new Twice<Long>() {
      @Override
      Long attempt() {
        return port.delete(keys);
      }
    }.run();
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

  /**
   * One operation: run, and run once more after a refused login was renewed. An anonymous class per operation
   * rather than a lambda, which would bootstrap invokedynamic on the first request's path.
   */
  private abstract class Twice<T> {
    abstract T attempt();

    final T run() {
      long seen = login.generation();
      try {
        return attempt();
      } catch (RedisPortException e) {
        renewOrThrow(e, seen);
      }
      try {
        return attempt();
      } catch (RedisPortException e) {
        throw afterRenewal(e);
      }
    }
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
