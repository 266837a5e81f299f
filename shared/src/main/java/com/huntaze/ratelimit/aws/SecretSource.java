package com.huntaze.ratelimit.aws;

import java.net.URI;

/**
 * Where REDIS_AUTH_MODE=secret reads the Redis password from: AWS Secrets Manager in a function, a fake in
 * unit tests. Called at init, and again (at most once every 10 s) when Redis refuses the password it gave:
 * see {@code RenewableLogin}.
 */
@FunctionalInterface
public interface SecretSource {
  /**
   * The current string value of the secret {@code secretId} (a name or an ARN) in {@code region}.
   *
   * @throws UnreadableSecretException saying why it cannot be read; its message never holds the value
   */
  String secretString(String region, String secretId);

  /** AWS Secrets Manager, with the SDK's default credentials chain (the function's role). */
  static SecretSource awsSecretsManager() {
    return new SecretsManagerSecretSource();
  }

  /**
   * Where {@link #awsSecretsManager()} sends its call for {@code region}, from this process's settings (tests
   * check it before any call).
   *
   * @throws UnreadableSecretException for a malformed setting or region
   */
  static URI awsSecretsManagerEndpoint(String region) {
    return SecretsManagerEndpoint.fromThisProcess().forRegion(region);
  }
}
