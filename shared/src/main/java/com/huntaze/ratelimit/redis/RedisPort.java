package com.huntaze.ratelimit.redis;

import java.util.List;

/**
 * The few Redis operations the rate-limit core needs. The core knows nothing of Jedis; every failure
 * arrives as a {@link RedisPortException} carrying its kind.
 */
public interface RedisPort extends AutoCloseable {
  /**
   * Calls a function of a loaded library and returns its reply of whole numbers (see {@link #evalSha}).
   *
   * @throws RedisPortException with {@code notLoaded()} true when the node does not have the function, and
   *     {@code unsupported()} true when the server has no functions or the ACL user may not call them
   */
  List<Long> fcall(String function, List<String> keys, List<String> args);

  /**
   * Loads a function library on the node that owns {@code routingKey} (any node when not in cluster mode); a
   * library already there is left as it is.
   */
  void functionLoad(String library, String routingKey);

  /**
   * Runs a loaded script by its SHA-1 and returns its reply of whole numbers, sent as one string of little-endian
   * doubles (Redis sends a string faster than it converts a table).
   *
   * @throws RedisPortException with {@code notLoaded()} true when the server does not know the script
   */
  List<Long> evalSha(String sha1, List<String> keys, List<String> args);

  /** Loads a script on the node that owns {@code routingKey} (any node when not in cluster mode). */
  String scriptLoad(String script, String routingKey);

  /** The string value of a key, or null when there is none. */
  String get(String key);

  /** Sets a string key that Redis deletes by itself at {@code expireAtMillis} (epoch milliseconds, server clock). */
  void setUntil(String key, String value, long expireAtMillis);

  /** Deletes keys that share one hash slot; returns how many existed. */
  long delete(List<String> keys);

  /**
   * Closes pooled connections not in use, e.g. before a SnapStart snapshot: a socket frozen into a
   * snapshot is dead when it is restored. The next command opens a fresh connection.
   */
  default void closeIdleConnections() {
  }

  @Override
  void close();
}
