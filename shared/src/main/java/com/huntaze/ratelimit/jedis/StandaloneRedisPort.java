package com.huntaze.ratelimit.jedis;

import com.huntaze.ratelimit.redis.RedisPort;
import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol.Command;

/**
 * {@link RedisPort} on one Redis server (cluster mode off): each operation borrows a connection from
 * Jedis's own pool, writes its command and reads the reply, as {@code RedisClient} does for it (no
 * retry; a broken connection is destroyed when it is returned), but without {@code RedisClient}: loading
 * that class, its command-object factory and their interfaces was most of the client's start-up.
 * Failures are translated as {@link JedisRedisPort} translates them.
 */
final class StandaloneRedisPort implements RedisPort {
  private final ConnectionPool pool;

  StandaloneRedisPort(ConnectionPool pool) {
    this.pool = pool;
  }

  @Override
  public List<Long> fcall(String function, List<String> keys, List<String> args) {
    return run(Command.FCALL, function, keys, args);
  }

  @Override
  public void functionLoad(String library, String routingKey) {
    try (Connection connection = pool.getResource()) {
      connection.sendCommand(Command.FUNCTION, "LOAD", library);
      connection.getBulkReply();
    } catch (RuntimeException e) {
      JedisRedisPort.unlessAlreadyLoaded(JedisRedisPort.translate(e));
    }
  }

  @Override
  public List<Long> evalSha(String sha1, List<String> keys, List<String> args) {
    return run(Command.EVALSHA, sha1, keys, args);
  }

  /** EVALSHA sha or FCALL name, then the key count, the keys and the arguments. */
  private List<Long> run(Command command, String name, List<String> keys, List<String> args) {
    String[] arguments = new String[2 + keys.size() + args.size()];
    arguments[0] = name;
    arguments[1] = Integer.toString(keys.size());
    int i = 2;
    for (String key : keys) {
      arguments[i++] = key;
    }
    for (String arg : args) {
      arguments[i++] = arg;
    }
    try (Connection connection = pool.getResource()) {
      connection.sendCommand(command, arguments);
      return JedisRedisPort.numbers(connection.getOne());
    } catch (RuntimeException e) {
      throw JedisRedisPort.translate(e);
    }
  }

  @Override
  public String scriptLoad(String script, String routingKey) {
    try (Connection connection = pool.getResource()) {
      connection.sendCommand(Command.SCRIPT, "LOAD", script);
      return connection.getBulkReply();
    } catch (RuntimeException e) {
      throw JedisRedisPort.translate(e);
    }
  }

  @Override
  public String get(String key) {
    try (Connection connection = pool.getResource()) {
      connection.sendCommand(Command.GET, key);
      return connection.getBulkReply();
    } catch (RuntimeException e) {
      throw JedisRedisPort.translate(e);
    }
  }

  @Override
  public void setUntil(String key, String value, long expireAtMillis) {
    try (Connection connection = pool.getResource()) {
      connection.sendCommand(Command.SET, key, value, "PXAT", Long.toString(expireAtMillis));
      connection.getStatusCodeReply();
    } catch (RuntimeException e) {
      throw JedisRedisPort.translate(e);
    }
  }

  @Override
  public long delete(List<String> keys) {
    try (Connection connection = pool.getResource()) {
      connection.sendCommand(Command.DEL, keys.toArray(new String[0]));
      return connection.getIntegerReply();
    } catch (RuntimeException e) {
      throw JedisRedisPort.translate(e);
    }
  }

  @Override
  public void closeIdleConnections() {
    pool.clear();
  }

  @Override
  public void close() {
    pool.close();
  }
}
