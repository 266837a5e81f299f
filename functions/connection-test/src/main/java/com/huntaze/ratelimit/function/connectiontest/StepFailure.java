package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.function.connectiontest.ProbeResult.Failure;
import com.huntaze.ratelimit.jedis.JedisRedisPort;
import com.huntaze.ratelimit.jedis.RedisCredentials;
import com.huntaze.ratelimit.jedis.RedisSettings;

/** Why a step failed, classified like the rate limiter's Redis failures, with a hint and no secret. */
final class StepFailure {
  private StepFailure() {
  }

  static Failure of(String step, RuntimeException e, RedisSettings settings) {
    ErrorKind kind;
    String message;
    if (e instanceof ProbeException probe) {
      kind = probe.kind();
      message = probe.getMessage();
    } else {
      RuntimeException reason = clusterStartReason(e);
      RedisFailure failure = JedisRedisPort.translate(reason).failure();
      kind = ErrorKind.of(failure.kind());
      message = reason == e ? failure.message() : e.getMessage() + " " + failure.message();
    }
    message = redact(message, settings);
    return new Failure(step, kind, message, Hints.forFailure(kind, message, settings));
  }

  /**
   * A cluster client that cannot start says only "Could not initialize cluster slots cache" and keeps the
   * reason (refused, WRONGPASS, TLS, ...) as a suppressed exception: that reason is what to classify.
   */
  private static RuntimeException clusterStartReason(RuntimeException e) {
    Throwable[] suppressed = e.getSuppressed();
    return suppressed.length > 0 && suppressed[0] instanceof RuntimeException reason ? reason : e;
  }

  /** Belt and braces: client messages hold no password, but an answer must never show one. */
  private static String redact(String message, RedisSettings settings) {
    String password = "";
    if (settings.credentials() instanceof RedisCredentials.Password fixed) {
      password = fixed.password();
    } else if (settings.credentials() instanceof RedisCredentials.Secret secret) {
      password = secret.login().current().password();
    }
    return password.isEmpty() || message == null ? message : message.replace(password, "****");
  }
}
