package com.huntaze.ratelimit.aws;

import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads a secret with the AWS SDK: the JDK's HTTP client (no Netty, no Apache: small jar, quick start),
 * the default credentials chain, and the endpoint the SDK resolves itself (AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * AWS_ENDPOINT_URL or the aws.endpointUrl system properties override it, e.g. for a local emulator).
 */
final class SecretsManagerSecretSource implements SecretSource {
  // Lambda's init phase is short: fail within a few seconds rather than hang on an unreachable endpoint.
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(6);

  private final Consumer<SecretsManagerClientBuilder> testSettings;

  SecretsManagerSecretSource() {
    this(builder -> { });
  }

  /** For tests: e.g. a local endpoint and static credentials. */
  SecretsManagerSecretSource(Consumer<SecretsManagerClientBuilder> testSettings) {
    this.testSettings = testSettings;
  }

  @Override
  public String secretString(String region, String secretId) {
    SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
        .region(Region.of(region))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT))
        .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT));
    testSettings.accept(builder);
    // One client for one call: the secret is read once per execution environment, so nothing is kept open.
    try (SecretsManagerClient client = builder.build()) {
      GetSecretValueResponse response = client.getSecretValue(r -> r.secretId(secretId));
      if (response.secretString() == null) {
        throw new UnreadableSecretException("it holds binary data; store the password as a secret string"
            + " (the token itself, or JSON {\"password\": \"...\"})");
      }
      return response.secretString();
    } catch (ResourceNotFoundException e) {
      throw new UnreadableSecretException("no such secret in region " + region + " (check the name or ARN"
          + " and the region)", e);
    } catch (DecryptionFailureException e) {
      throw new UnreadableSecretException("Secrets Manager cannot decrypt it with its KMS key; the function's role"
          + " needs kms:Decrypt on that key: " + errorMessage(e), e);
    } catch (SecretsManagerException e) {
      if (e.statusCode() == 403 || "AccessDeniedException".equals(errorCode(e))) {
        throw new UnreadableSecretException("access denied; the function's role needs"
            + " secretsmanager:GetSecretValue on this secret (and kms:Decrypt for a customer managed key): "
            + errorMessage(e), e);
      }
      throw new UnreadableSecretException(errorCode(e) + ": " + errorMessage(e), e);
    } catch (SdkClientException e) {
      // no credentials, endpoint unreachable, timeout: the request never got an answer
      throw new UnreadableSecretException("cannot call AWS Secrets Manager: " + e.getMessage(), e);
    }
  }

  private static String errorCode(SecretsManagerException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    return details == null ? "HTTP " + e.statusCode() : details.errorCode();
  }

  private static String errorMessage(SecretsManagerException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    return details == null || details.errorMessage() == null ? e.getMessage() : details.errorMessage();
  }
}
