package com.huntaze.ratelimit.localrunner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUrlTest {

  @Test
  void aPlainUrlGetsALocalServersSettings() {
    RedisUrl url = RedisUrl.parse("redis://127.0.0.1:6390");

    assertEquals(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "6390", "REDIS_TLS", "false",
        "REDIS_CLUSTER_MODE", "false", "REDIS_AUTH_MODE", "none"), url.variables());
    assertEquals("TLS off, auth: none, cluster mode off", url.summary());
    assertEquals(6379, RedisUrl.parse("redis://localhost").port(), "the default port");
  }

  @Test
  void redissMeansTlsAndClusterIsAskedFor() {
    RedisUrl url = RedisUrl.parse("rediss://cache.example.internal:6380/0?cluster=true");

    assertTrue(url.tls());
    assertTrue(url.cluster());
    assertEquals("true", url.variables().get("REDIS_TLS"));
    assertEquals("true", url.variables().get("REDIS_CLUSTER_MODE"));
    assertEquals("rediss://cache.example.internal:6380?cluster=true", url.toString());
  }

  @Test
  void aPasswordMeansPasswordAuthAndIsNeverShown() {
    RedisUrl url = RedisUrl.parse("redis://limiter:p%40ss%3Aw0rd@10.0.0.5:6379");

    assertEquals(Optional.of("p@ss:w0rd"), url.password());
    assertEquals(Optional.of("limiter"), url.user());
    assertEquals("password", url.variables().get("REDIS_AUTH_MODE"));
    assertEquals("limiter", url.variables().get("REDIS_USER"));
    assertFalse(url.variables().containsValue("p@ss:w0rd"), "no password in the environment");
    assertEquals("redis://limiter:****@10.0.0.5:6379", url.toString());
    assertFalse(url.summary().contains("p@ss"), url.summary());
  }

  @Test
  void aPasswordWithoutUserIsTheDefaultUsers() {
    RedisUrl url = RedisUrl.parse("redis://:secret@localhost:6379");

    assertEquals(Optional.empty(), url.user());
    assertFalse(url.variables().containsKey("REDIS_USER"));
    assertEquals("redis://:****@localhost:6379", url.toString());
  }

  @Test
  void anIpv6HostLosesItsBrackets() {
    RedisUrl url = RedisUrl.parse("redis://[::1]:6390");

    assertEquals("::1", url.host());
    assertEquals("redis://[::1]:6390", url.toString());
  }

  @Test
  void mistakesAreOneLineThatNeverRepeatsThePassword() {
    for (String bad : new String[] {"http://localhost:6379", "localhost:6379", "redis://user@localhost:6379",
        "redis://localhost:6379/2", "redis://localhost:6379?tls=true", "redis://:top secret@localhost",
        "redis://:hunter2@:6379"}) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(bad), bad);
      assertFalse(error.getMessage().contains("\n"), error.getMessage());
      assertFalse(error.getMessage().contains("secret") || error.getMessage().contains("hunter2"),
          error.getMessage());
      assertTrue(error.getMessage().startsWith("--redis-url"), error.getMessage());
    }
  }
}
