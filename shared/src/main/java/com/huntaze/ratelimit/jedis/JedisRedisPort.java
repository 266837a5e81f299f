package com.huntaze.ratelimit.jedis;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import com.huntaze.ratelimit.redis.RedisPortException.NotRun;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

/** {@link RedisPort} over a Jedis 8 client ({@code RedisClusterClient} in cluster mode: {@link RedisClients#port}). */
public final class JedisRedisPort implements RedisPort {
  /** How Jedis and the JDK word a connection that was never made. */
  private static final List<String> NOT_CONNECTED = List.of("failed to connect", "failed to create socket",
      "connection refused", "connect timed out", "could not get a resource from the pool");

  private final UnifiedJedis jedis;

  public JedisRedisPort(UnifiedJedis jedis) {
    this.jedis = jedis;
  }

  /** The underlying client, for diagnostics such as the connection test. */
  public UnifiedJedis jedis() {
    return jedis;
  }

  @Override
  public List<Long> fcall(String function, List<String> keys, List<String> args) {
    return numbers(call(() -> jedis.fcall(bytes(function), bytes(keys), bytes(args))));
  }

  @Override
  public void functionLoad(String library, String routingKey) {
    try {
      call(() -> jedis.sendCommand(routingKey, Protocol.Command.FUNCTION, "LOAD", library));
    } catch (RedisPortException e) {
      unlessAlreadyLoaded(e);
    }
  }

  /** Throws {@code e} unless another client loaded the same library first. */
  static void unlessAlreadyLoaded(RedisPortException e) {
    if (!String.valueOf(e.failure().message()).contains("already exists")) {
      throw e;
    }
  }

  @Override
  public List<Long> evalSha(String sha1, List<String> keys, List<String> args) {
    return numbers(call(() -> jedis.evalsha(bytes(sha1), bytes(keys), bytes(args))));
  }

  /** A script's reply of whole numbers, a string of little-endian doubles. */
  static List<Long> numbers(Object reply) {
    if (!(reply instanceof byte[] packed) || packed.length % Double.BYTES != 0) {
      throw new RedisPortException(new RedisFailure(Kind.REDIS_ERROR, "script replied " + reply), null);
    }
    ByteBuffer doubles = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> numbers = new ArrayList<>(packed.length / Double.BYTES);
    while (doubles.hasRemaining()) {
      numbers.add((long) doubles.getDouble());
    }
    return numbers;
  }

  /** Binary arguments: the binary commands hand a string reply back as its bytes. */
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> bytes(List<String> texts) {
    List<byte[]> bytes = new ArrayList<>(texts.size());
    for (String text : texts) {
      bytes.add(bytes(text));
    }
    return bytes;
  }

  @Override
  public String scriptLoad(String script, String routingKey) {
    return call(() -> jedis.scriptLoad(script, routingKey));
  }

  @Override
  public String get(String key) {
    return call(() -> jedis.get(key));
  }

  @Override
  public void setUntil(String key, String value, long expireAtMillis) {
    call(() -> jedis.set(key, value, SetParams.setParams().pxAt(expireAtMillis)));
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
    String message = String.valueOf(e.getMessage());
    if (e instanceof JedisNoScriptException || message.startsWith("ERR Function not found")) {
      return new RedisPortException(new RedisFailure(Kind.REDIS_ERROR, message), NotRun.NOT_LOADED, e);
    }
    if (message.startsWith("ERR unknown command") || isCommandRefused(message)) {
      return new RedisPortException(new RedisFailure(Kind.REDIS_ERROR, message), NotRun.UNSUPPORTED, e);
    }
    return new RedisPortException(classify(e), e);
  }

  /** The ACL refused FCALL or FUNCTION itself (not a command inside the script): nothing ran. */
  private static boolean isCommandRefused(String message) {
    return message.startsWith("NOPERM") && (message.contains("'fcall'") || message.contains("'function"));
  }

  static RedisFailure classify(Throwable e) {
    String message = e.getMessage();
    if (e instanceof JedisAccessControlException || isAuthError(message)) {
      return new RedisFailure(Kind.AUTH, message, !loginRefused(message));
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return connectionFailure(Kind.TIMEOUT, describe(e));
      }
      if (t instanceof SSLException) {
        return new RedisFailure(Kind.TLS, describe(e), false);   // the handshake comes before any command
      }
    }
    if (e instanceof JedisDataException) {
      return new RedisFailure(Kind.REDIS_ERROR, message, true);
    }
    return connectionFailure(Kind.CONNECTION, describe(e));
  }

  /** A connection that was never made sent nothing; one that broke or timed out later may have. */
  private static RedisFailure connectionFailure(Kind kind, String message) {
    String text = message.toLowerCase(Locale.ROOT);
    return new RedisFailure(kind, message, NOT_CONNECTED.stream().noneMatch(text::contains));
  }

  /** The login itself was refused (not an ACL refusing a command inside the script): nothing ran. */
  private static boolean loginRefused(String message) {
    String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return text.startsWith("wrongpass") || text.startsWith("noauth");
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
