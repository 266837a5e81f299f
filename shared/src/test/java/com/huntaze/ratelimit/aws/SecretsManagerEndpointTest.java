package com.huntaze.ratelimit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint from given system properties and environment variables, in the AWS SDK's order. */
class SecretsManagerEndpointTest {
  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private URI resolve(String region) {
    return new SecretsManagerEndpoint(properties::get, environment::get).forRegion(region);
  }

  @ParameterizedTest
  @CsvSource({
      "us-east-1, https://secretsmanager.us-east-1.amazonaws.com",
      "eu-west-3, https://secretsmanager.eu-west-3.amazonaws.com",
      "us-gov-west-1, https://secretsmanager.us-gov-west-1.amazonaws.com",
      "cn-north-1, https://secretsmanager.cn-north-1.amazonaws.com.cn",
      "us-iso-east-1, https://secretsmanager.us-iso-east-1.c2s.ic.gov",
      "us-isob-east-1, https://secretsmanager.us-isob-east-1.sc2s.sgov.gov",
      "eusc-de-east-1, https://secretsmanager.eusc-de-east-1.amazonaws.eu"})
  void withoutSettingsItIsTheRegionalEndpointInTheRegionsPartition(String region, String endpoint) {
    assertEquals(URI.create(endpoint), resolve(region));
  }

  @Test
  void fipsIsTheServicesFipsHost() {
    environment.put("AWS_USE_FIPS_ENDPOINT", "TRUE");

    assertEquals(URI.create("https://secretsmanager-fips.us-gov-east-1.amazonaws.com"), resolve("us-gov-east-1"));
  }

  @Test
  void theServiceSettingComesBeforeTheGlobalOneAndPropertiesBeforeVariables() {
    environment.put("AWS_ENDPOINT_URL", "http://global-variable:1");
    assertEquals(URI.create("http://global-variable:1"), resolve("us-east-1"));

    environment.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://service-variable:2");
    assertEquals(URI.create("http://service-variable:2"), resolve("us-east-1"));

    properties.put("aws.endpointUrl", "http://global-property:3");
    assertEquals(URI.create("http://global-property:3"), resolve("us-east-1"));

    properties.put("aws.endpointUrlSecretsManager", "http://127.0.0.1:4566/");
    assertEquals(URI.create("http://127.0.0.1:4566/"), resolve("us-east-1"));
  }

  @Test
  void aBlankSettingCountsAsUnset() {
    properties.put("aws.endpointUrlSecretsManager", " ");
    environment.put("AWS_ENDPOINT_URL", "http://localhost:4566");

    assertEquals(URI.create("http://localhost:4566"), resolve("us-east-1"));
  }

  @Test
  void ignoringConfiguredEndpointsGivesTheRegionalOne() {
    properties.put("aws.endpointUrlSecretsManager", "http://127.0.0.1:4566");
    environment.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
    environment.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    assertEquals(URI.create("https://secretsmanager.us-east-1.amazonaws.com"), resolve("us-east-1"));

    properties.put("aws.ignoreConfiguredEndpointUrls", "false");   // the property comes first
    assertEquals(URI.create("http://127.0.0.1:4566"), resolve("us-east-1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:4566", "ftp://host/", "http://", "http://bad host/", "/just/a/path"})
  void aSettingThatIsNoHttpUrlIsRefusedNamingIt(String value) {
    environment.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", value);

    UnreadableSecretException e = assertThrows(UnreadableSecretException.class, () -> resolve("us-east-1"));

    assertEquals("the environment variable AWS_ENDPOINT_URL_SECRETS_MANAGER is not an http(s) URL: '" + value
        + "'", e.getMessage());
  }

  @Test
  void aFlagThatIsNeitherTrueNorFalseIsRefusedNamingIt() {
    properties.put("aws.useFipsEndpoint", "yes");

    UnreadableSecretException e = assertThrows(UnreadableSecretException.class, () -> resolve("us-east-1"));

    assertEquals("the system property aws.useFipsEndpoint must be true or false, not 'yes'", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "us-east-1.evil.example", "us-east-1/x", "US-EAST-1", "-us-east-1", "us..east"})
  void aRegionThatIsNoHostLabelNeverBecomesAHost(String region) {
    UnreadableSecretException e = assertThrows(UnreadableSecretException.class, () -> resolve(region));

    assertTrue(e.getMessage().endsWith("is not an AWS region"), e.getMessage());
  }
}
