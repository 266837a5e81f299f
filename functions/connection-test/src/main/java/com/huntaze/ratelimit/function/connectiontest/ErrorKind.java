package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.redis.RedisFailure;

/** Why a connection test failed: the Redis failure kinds, plus settings that cannot work. */
public enum ErrorKind {
  TIMEOUT,
  CONNECTION,
  AUTH,
  TLS,
  REDIS_ERROR,
  /** The settings are invalid, or do not match the server (e.g. cluster mode on one side only). */
  CONFIGURATION,
  /** REDIS_TLS=true, but the port answers a plain-text PING: the cache has in-transit encryption off. */
  TLS_ON_PLAIN_TEXT_PORT,
  /** REDIS_TLS=false, but the port answers a TLS handshake: the cache has in-transit encryption on. */
  PLAIN_TEXT_ON_TLS_PORT;

  static ErrorKind of(RedisFailure.Kind kind) {
    return valueOf(kind.name());
  }
}
