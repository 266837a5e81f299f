package com.huntaze.ratelimit.redis;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Why Redis could not answer. The message comes from the client library and the network stack: it
 * never contains a password.
 */
public record RedisFailure(Kind kind, String message) {
  /** How the client (Jedis, the JDK) words a connection that was never made. */
  private static final List<String> NOT_CONNECTED = List.of("failed to connect", "failed to create socket",
      "connection refused", "connect timed out", "could not get a resource from the pool");

  /** Distinct kinds, so each can be counted and alarmed on separately. */
  public enum Kind {
    /** No answer within the configured socket or connect timeout. */
    TIMEOUT,
    /** Could not connect, or the connection broke (refused, reset, DNS, cluster down). */
    CONNECTION,
    /** Redis refused the credentials (WRONGPASS, NOAUTH, NOPERM). */
    AUTH,
    /** The TLS handshake failed (untrusted certificate, wrong host name, plain-text server). */
    TLS,
    /** Redis answered with an error (e.g. a script error, OOM, READONLY). */
    REDIS_ERROR
  }

  public RedisFailure {
    Objects.requireNonNull(kind, "kind");
    message = message == null ? kind.name() : message;
  }

  /**
   * True when Redis may have run the command although no answer came back, so a check may have been
   * charged: a timeout or a broken connection after the command was sent, an error reply (a script that
   * fails part way keeps what it wrote), an ACL refusing a command inside the script. False only when
   * nothing can have been sent: the TLS handshake or the login failed, or the connection was never made.
   */
  public boolean mayHaveBeenApplied() {
    String text = message.toLowerCase(Locale.ROOT);
    return switch (kind) {
      case TLS -> false;
      case AUTH -> !(text.startsWith("wrongpass") || text.startsWith("noauth"));
      case CONNECTION, TIMEOUT -> NOT_CONNECTED.stream().noneMatch(text::contains);
      case REDIS_ERROR -> true;
    };
  }
}
