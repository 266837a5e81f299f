package com.huntaze.ratelimit.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SamConfigTest {
  @Test
  void readsTheProjectsOwnSamconfig() {
    SamConfig config = SamConfig.read(Path.of("../../samconfig.toml"));

    assertTrue(config.hasEnvironment("prod"));
    assertEquals(Optional.of("ai-rate-limiter-prod"), config.setting("prod", "stack_name"));
    assertEquals(Optional.of("us-east-1"), config.setting("prod", "region"));
    Map<String, String> prod = config.parameters("prod");
    assertEquals("6379", prod.get("CachePort"));
    assertEquals("fail-closed", prod.get("OnRedisFailure"));
    assertFalse(config.hasEnvironment("staging"));
  }

  @Test
  void placeholdersCountAsUnset() {
    Parameters p = new Parameters(SamConfig.read(Path.of("../../samconfig.toml")).parameters("dev"));

    assertEquals(Optional.empty(), p.get("VpcId"));
    assertTrue(p.placeholder("VpcId"));
    assertEquals(List.of(), p.functionSubnets());
    assertEquals(Optional.of("true"), p.get("RedisTls"));
  }

  @Test
  void readsParameterOverridesWrittenAsOneString() {
    SamConfig config = SamConfig.parse("[dev.deploy.parameters]\n"
        + "parameter_overrides = \"VpcId=\\\"vpc-1\\\" RedisTls=\\\"false\\\" KeyPrefix=rl # a comment\"\n");

    assertEquals(Map.of("VpcId", "vpc-1", "RedisTls", "false", "KeyPrefix", "rl"), config.parameters("dev"));
  }

  @Test
  void templateDefaultsFillWhatSamconfigLeavesOut() {
    Parameters p = new Parameters(Map.of());

    assertEquals("secret", p.authMode());
    assertEquals(6379, p.port());
    assertTrue(p.flag("CreateNatGateway"));
  }
}
