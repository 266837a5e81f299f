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
  CONFIGURATION;

  static ErrorKind of(RedisFailure.Kind kind) {
    return valueOf(kind.name());
  }
}
