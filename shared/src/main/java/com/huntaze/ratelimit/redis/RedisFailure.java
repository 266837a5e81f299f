package com.huntaze.ratelimit.redis;

import java.util.Objects;

/**
 * Why Redis could not answer. The message comes from the client library and the network stack: it
 * never contains a password.
 */
public record RedisFailure(Kind kind, String message) {
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

  /**
   * True when Redis may have run the command although no answer came back (a timeout, or a connection
   * that broke during the call): a check may then have been charged. False when the command cannot have
   * run (credentials or TLS refused before any command, or Redis answered with an error).
   */
  public boolean mayHaveBeenApplied() {
    return kind == Kind.TIMEOUT || kind == Kind.CONNECTION;
  }

  public RedisFailure {
    Objects.requireNonNull(kind, "kind");
    message = message == null ? kind.name() : message;
  }
}
