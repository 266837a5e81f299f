package com.huntaze.ratelimit.jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** How a Jedis failure is classified, and whether the command may have reached Redis. */
class JedisRedisPortTest {
  private static RedisFailure classify(RuntimeException e) {
    return JedisRedisPort.translate(e).failure();
  }

  @Test
  void failuresBeforeAnyCommandWasSentCannotHaveBeenApplied() {
    RedisFailure refused = classify(new JedisConnectionException("Failed to connect to any host resolved for DNS"
        + " name.", new ConnectException("Connection refused")));
    RedisFailure connectTimeout = classify(new JedisConnectionException("Failed to connect to 10.0.0.7:6379",
        new SocketTimeoutException("Connect timed out")));
    RedisFailure pool = classify(new JedisConnectionException("Could not get a resource from the pool",
        new ConnectException("Connection refused")));
    RedisFailure wrongPassword = classify(new JedisAccessControlException("WRONGPASS invalid username-password pair"
        + " or user is disabled."));
    RedisFailure noAuth = classify(new JedisDataException("NOAUTH Authentication required."));
    RedisFailure tls = classify(new JedisConnectionException(new SSLHandshakeException("PKIX path building failed")));
    assertEquals(Kind.CONNECTION, refused.kind());
    assertEquals(Kind.TIMEOUT, connectTimeout.kind());
    assertEquals(Kind.CONNECTION, pool.kind());
    assertEquals(Kind.AUTH, wrongPassword.kind());
    assertEquals(Kind.AUTH, noAuth.kind());
    assertEquals(Kind.TLS, tls.kind());
    for (RedisFailure failure : new RedisFailure[] {refused, connectTimeout, pool, wrongPassword, noAuth, tls}) {
      assertFalse(failure.mayHaveBeenApplied(), failure.toString());
    }
  }

  @Test
  void failuresAfterTheCommandLeftMayHaveBeenApplied() {
    RedisFailure readTimeout = classify(new JedisConnectionException(new SocketTimeoutException("Read timed out")));
    RedisFailure endOfStream = classify(new JedisConnectionException("Unexpected end of stream."));
    RedisFailure clusterAttempts = classify(new JedisConnectionException("No more cluster attempts left."));
    RedisFailure scriptError = classify(new JedisDataException("ERR Error running script: OOM command not allowed"));
    RedisFailure noPermission = classify(new JedisDataException("NOPERM this user has no permissions to run the"
        + " 'zadd' command"));
    assertEquals(Kind.TIMEOUT, readTimeout.kind());
    assertEquals(Kind.CONNECTION, endOfStream.kind());
    assertEquals(Kind.CONNECTION, clusterAttempts.kind());
    assertEquals(Kind.REDIS_ERROR, scriptError.kind());
    assertEquals(Kind.AUTH, noPermission.kind());
    for (RedisFailure failure : new RedisFailure[] {readTimeout, endOfStream, clusterAttempts, scriptError,
        noPermission}) {
      assertTrue(failure.mayHaveBeenApplied(), failure.toString());
    }
  }

  @Test
  void aMissingScriptOrFunctionIsNotLoadedAndAServerOrAclWithoutFunctionsIsUnsupported() {
    assertTrue(JedisRedisPort.translate(new JedisDataException("ERR Function not found")).notLoaded());
    assertTrue(JedisRedisPort.translate(new JedisNoScriptException("NOSCRIPT No matching script.")).notLoaded());
    assertTrue(JedisRedisPort.translate(new JedisDataException("ERR unknown command 'FCALL', with args beginning"
        + " with: ")).unsupported());
    assertTrue(JedisRedisPort.translate(new JedisAccessControlException("NOPERM User limiter has no permissions to"
        + " run the 'fcall' command")).unsupported());
    assertTrue(JedisRedisPort.translate(new JedisAccessControlException("NOPERM User limiter has no permissions to"
        + " run the 'function|load' command")).unsupported());
    RedisPortException insideTheScript = JedisRedisPort.translate(new JedisDataException("NOPERM this user has no"
        + " permissions to run the 'zadd' command"));
    assertFalse(insideTheScript.unsupported() || insideTheScript.notLoaded(), "a refusal inside the script ran part of it");
    assertFalse(JedisRedisPort.translate(new JedisDataException("ERR Error running script: OOM")).notLoaded());
  }
}
