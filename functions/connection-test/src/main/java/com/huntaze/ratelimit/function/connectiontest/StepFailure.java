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
      ErrorKind mismatch = step.equals("ping") ? tlsMismatch(failure, settings) : null;
      if (mismatch != null) {
        kind = mismatch;
        message = mismatchMessage(mismatch, settings) + " (the " + (settings.tls() ? "TLS" : "plain-text")
            + " attempt: " + message + ")";
      }
    }
    message = redact(message, settings);
    return new Failure(step, kind, message, Hints.forFailure(kind, message, settings));
  }

  /**
   * A REDIS_TLS mismatch, when the port, asked in the other protocol, answers. Neither mismatch says so itself: a
   * TLS client on a plain-text port waits for a ServerHello that never comes (Redis reads the ClientHello as an
   * inline command, finds a NUL byte before any newline, and waits for the rest of the line) and times out like a
   * silent network (or, should Redis answer, fails as TLS); a plain-text client on a TLS port has its connection
   * reset (the server's TLS layer refuses its first bytes), like a broken connection.
   * Asked only after a connection was made: a refused connect or a connect timeout (a security group dropping
   * packets) is not a mismatch, and costs no second attempt. With TLS off, a timeout is not asked about either:
   * a TLS Redis resets a plain-text client at once, so a silent port stays a TIMEOUT, answered within its time.
   */
  private static ErrorKind tlsMismatch(RedisFailure failure, RedisSettings settings) {
    boolean connectedThenFailed = failure.mayHaveBeenApplied();
    if (settings.tls()) {
      boolean suspect = failure.kind() == RedisFailure.Kind.TLS
          || (connectedThenFailed && failure.kind() == RedisFailure.Kind.TIMEOUT)
          || (connectedThenFailed && failure.kind() == RedisFailure.Kind.CONNECTION);
      return suspect && PortProtocol.answersPlainText(settings.host(), settings.port(), settings.connectTimeout(),
          settings.socketTimeout()) ? ErrorKind.TLS_ON_PLAIN_TEXT_PORT : null;
    }
    boolean suspect = connectedThenFailed && failure.kind() == RedisFailure.Kind.CONNECTION;
    return suspect && PortProtocol.speaksTls(settings.host(), settings.port(), settings.connectTimeout(),
        settings.socketTimeout()) ? ErrorKind.PLAIN_TEXT_ON_TLS_PORT : null;
  }

  private static String mismatchMessage(ErrorKind mismatch, RedisSettings settings) {
    String endpoint = settings.host() + ":" + settings.port();
    return mismatch == ErrorKind.TLS_ON_PLAIN_TEXT_PORT
        ? "REDIS_TLS is true, but " + endpoint + " answers in plain text: a plain-text PING got a Redis reply"
        : "REDIS_TLS is false, but " + endpoint + " speaks TLS: it answered a TLS handshake with a certificate";
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
