package com.huntaze.ratelimit.jedis;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** {@link RedisPort} over a Jedis 8 client: {@code RedisClient} or {@code RedisClusterClient}. */
public final class JedisRedisPort implements RedisPort {
  private final UnifiedJedis jedis;

  public JedisRedisPort(UnifiedJedis jedis) {
    this.jedis = jedis;
  }

  /** The underlying client, for diagnostics such as the connection test. */
  public UnifiedJedis jedis() {
    return jedis;
  }

  @Override
  public List<Long> evalSha(String sha1, List<String> keys, List<String> args) {
    Object reply = call(() -> jedis.evalsha(sha1, keys, args));
    if (!(reply instanceof List<?> values)) {
      throw new RedisPortException(new RedisFailure(Kind.REDIS_ERROR, "script replied " + reply), false, null);
    }
    List<Long> numbers = new ArrayList<>(values.size());
    for (Object value : values) {
      numbers.add((Long) value);
    }
    return numbers;
  }

  @Override
  public String scriptLoad(String script, String routingKey) {
    return call(() -> jedis.scriptLoad(script, routingKey));
  }

  @Override
  public long delete(List<String> keys) {
    return call(() -> jedis.del(keys.toArray(String[]::new)));
  }

  @Override
  public void closeIdleConnections() {
    if (jedis instanceof RedisClient client) {
      client.getPool().clear();
    } else if (jedis instanceof RedisClusterClient cluster) {
      cluster.getClusterNodes().values().forEach(ConnectionPool::clear);
    }
  }

  @Override
  public void close() {
    jedis.close();
  }

  private static <T> T call(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (RuntimeException e) {
      throw translate(e);
    }
  }

  /** Maps any Jedis failure to a kind; public so other Jedis users (connection test) classify alike. */
  public static RedisPortException translate(RuntimeException e) {
    if (e instanceof RedisPortException already) {
      return already;
    }
    if (e instanceof JedisNoScriptException) {
      return new RedisPortException(new RedisFailure(Kind.REDIS_ERROR, e.getMessage()), true, e);
    }
    return new RedisPortException(classify(e), false, e);
  }

  static RedisFailure classify(Throwable e) {
    String message = e.getMessage();
    if (e instanceof JedisAccessControlException || isAuthError(message)) {
      return new RedisFailure(Kind.AUTH, message);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return new RedisFailure(Kind.TIMEOUT, describe(e));
      }
      if (t instanceof SSLException) {
        return new RedisFailure(Kind.TLS, describe(e));
      }
    }
    if (e instanceof JedisDataException) {
      return new RedisFailure(Kind.REDIS_ERROR, message);
    }
    return new RedisFailure(Kind.CONNECTION, describe(e));
  }

  private static boolean isAuthError(String message) {
    return message != null && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
        || message.startsWith("NOPERM") || message.contains("invalid username-password")
        || message.contains("can't run this command")); // an ACL denying a command inside the script
  }

  /** The exception's message followed by its root cause's, e.g. "Failed to connect ...: Connection refused". */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root == e || root.getMessage() == null || top.contains(root.getMessage())) {
      return top;
    }
    return top + ": " + root.getMessage();
  }
}
