package com.huntaze.ratelimit.redis;

import java.util.Objects;

/**
 * Why Redis could not answer. The message comes from the client library and the network stack: it
 * never contains a password.
 *
 * @param mayHaveBeenApplied true when Redis may have run the command although no answer came back, so a
 *     check may have been charged: a timeout or a broken connection after the command was sent, an error
 *     reply (a script that fails part way keeps what it wrote), an ACL refusing a command inside the
 *     script. False only when nothing can have been sent: the TLS handshake or the login failed, or the
 *     connection was never made. The Redis client adapter, which knows its client's failures, decides.
 */
public record RedisFailure(Kind kind, String message, boolean mayHaveBeenApplied) {
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

  /** A failure that cannot tell whether anything was sent: applied unless the TLS handshake failed. */
  public RedisFailure(Kind kind, String message) {
    this(kind, message, kind != Kind.TLS);
  }

  public RedisFailure {
    Objects.requireNonNull(kind, "kind");
    message = message == null ? kind.name() : message;
  }
}
