package com.huntaze.ratelimit.function.connectiontest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.jedis.RedisSettings;
import org.junit.jupiter.api.Test;

class HintsTest {
  private static final RedisSettings TLS = RedisSettings.of("cache.example", 6380);
  private static final RedisSettings PLAIN = TLS.withTls(false);

  @Test
  void networkFailuresPointAtSecurityGroupsAndRouting() {
    for (ErrorKind kind : new ErrorKind[] {ErrorKind.CONNECTION, ErrorKind.TIMEOUT}) {
      String hint = Hints.forFailure(kind, "Connection refused", TLS);
      assertTrue(hint.contains("security group") && hint.contains("egress") && hint.contains("ingress"), hint);
      assertTrue(hint.contains("TCP port 6380") && hint.contains("subnets"), hint);
      assertFalse(hint.contains("set REDIS_TLS=true"), "TLS is already on: " + hint);
    }
    assertTrue(Hints.forFailure(ErrorKind.TIMEOUT, "Read timed out", TLS).contains("REDIS_SOCKET_TIMEOUT_MS"));
  }

  @Test
  void aPlainTextClientIsToldAboutInTransitEncryption() {
    assertTrue(Hints.forFailure(ErrorKind.TIMEOUT, "Read timed out", PLAIN).contains("set REDIS_TLS=true"));
  }

  @Test
  void authAndTlsFailuresNameTheSettingsToCheck() {
    String auth = Hints.forFailure(ErrorKind.AUTH, "WRONGPASS invalid username-password pair", TLS);
    assertTrue(auth.contains("REDIS_AUTH_MODE") && auth.contains("REDIS_USER") && auth.contains("secret"), auth);
    String tls = Hints.forFailure(ErrorKind.TLS, "PKIX path building failed", TLS);
    assertTrue(tls.contains("REDIS_TLS") && tls.contains("REDIS_TLS_CA_FILE") && tls.contains("host"), tls);
  }

  @Test
  void aTlsMismatchNamesRedisTlsAndNotTheSecurityGroups() {
    String tlsOnPlain = Hints.forFailure(ErrorKind.TLS_ON_PLAIN_TEXT_PORT, "REDIS_TLS is true, but ...", TLS);
    assertTrue(tlsOnPlain.contains("RedisTls=false") && tlsOnPlain.contains("REDIS_TLS=false"), tlsOnPlain);
    String plainOnTls = Hints.forFailure(ErrorKind.PLAIN_TEXT_ON_TLS_PORT, "REDIS_TLS is false, but ...", PLAIN);
    assertTrue(plainOnTls.contains("RedisTls=true") && plainOnTls.contains("REDIS_TLS=true"), plainOnTls);
    for (String hint : new String[] {tlsOnPlain, plainOnTls}) {
      assertFalse(hint.contains("security group rules") || hint.contains("egress"), hint);
    }
  }

  @Test
  void clusterModeOnOneSideOnlyIsNamed() {
    assertTrue(Hints.forFailure(ErrorKind.REDIS_ERROR, "ERR This instance has cluster support disabled", TLS)
        .contains("REDIS_CLUSTER_MODE=false"));
    assertTrue(Hints.forFailure(ErrorKind.REDIS_ERROR, "MOVED 1234 10.0.0.2:6379", TLS)
        .contains("REDIS_CLUSTER_MODE=true"));
  }
}
