package com.huntaze.ratelimit.jedis;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {
  private static final String PASSWORD = "s3cr3t-T0ken";

  @Test
  void theDefaultsAreTlsWithHostNameChecksNoAuthStandaloneAndAPoolOfTwo() {
    RedisSettings settings = RedisSettings.of("cache.example", 6380);
    assertAll(
        () -> assertTrue(settings.tls()),
        () -> assertTrue(settings.verifyHostname()),
        () -> assertEquals(Optional.empty(), settings.tlsCaFile()),
        () -> assertEquals("none", settings.authMode()),
        () -> assertFalse(settings.clusterMode()),
        () -> assertEquals(Duration.ofMillis(1000), settings.connectTimeout()),
        () -> assertEquals(Duration.ofMillis(500), settings.socketTimeout()),
        () -> assertEquals(2, settings.poolSize()));
  }

  @Test
  void withersChangeOneSettingAndKeepTheRest() {
    RedisSettings base = RedisSettings.plainText("h", 1).withClusterMode(true);
    RedisSettings changed = base.withPoolSize(5);
    assertEquals(5, changed.poolSize());
    assertEquals(base, changed.withPoolSize(2));
  }

  @Test
  void noVariantShowsItsPasswordOrToken() {
    RedisSettings file = RedisSettings.of("h", 1).withCredentials(new RedisCredentials.Password("app", PASSWORD));
    RenewableLogin login = new RenewableLogin("redis-auth", new RenewableLogin.Login(null, PASSWORD),
        () -> new RenewableLogin.Login(null, PASSWORD));
    RedisSettings secret = file.withCredentials(new RedisCredentials.Secret(login));
    RedisSettings iam = file.withCredentials(new RedisCredentials.Iam("rl-user", () -> PASSWORD));
    for (RedisSettings settings : new RedisSettings[] {file, secret, iam}) {
      assertFalse(settings.toString().contains(PASSWORD), settings.toString());
      assertFalse(settings.credentials().toString().contains(PASSWORD), settings.credentials().toString());
      assertFalse(login.toString().contains(PASSWORD), login.toString());
    }
    assertEquals("password", file.authMode());
    assertEquals(Optional.of("app"), file.user());
    assertEquals("secret", secret.authMode());
    assertEquals(Optional.empty(), secret.user());
    assertEquals("iam", iam.authMode());
    assertEquals(Optional.of("rl-user"), iam.user());
  }

  @Test
  void aPortOutsideTheTcpRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> RedisSettings.of("h", 0));
    assertThrows(IllegalArgumentException.class, () -> RedisSettings.of("h", 65_536));
  }
}
