package com.huntaze.ratelimit.function;

import com.huntaze.ratelimit.aws.SecretSource;
import com.huntaze.ratelimit.config.LimiterConfig;

/** The configuration the functions read at init. */
public final class FunctionConfig {
  private FunctionConfig() {
  }

  /**
   * {@link LimiterConfig#fromEnvironment()}, except that the Secrets Manager reader (and with it the AWS
   * SDK's credentials and signing classes) is made only when REDIS_AUTH_MODE=secret reads its secret, not at
   * every init.
   */
  public static LimiterConfig fromEnvironment() {
    return LimiterConfig.fromEnvironment(System.getenv(),
        (region, secretId) -> SecretSource.awsSecretsManager().secretString(region, secretId));
  }
}
