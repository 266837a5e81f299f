package com.huntaze.ratelimit.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The Secrets Manager endpoint for a region, from the settings the AWS SDK reads, in its order: the system
 * properties aws.endpointUrlSecretsManager and aws.endpointUrl, then the environment variables
 * AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL (all skipped when aws.ignoreConfiguredEndpointUrls or
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else the service's own endpoint in the region's partition,
 * FIPS when aws.useFipsEndpoint / AWS_USE_FIPS_ENDPOINT is true. The shared config file (~/.aws/config) is
 * not read: a Lambda function has none.
 */
final class SecretsManagerEndpoint {
  /** One DNS label or more: a region goes into a host name, so nothing else may pass. */
  private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private final UnaryOperator<String> systemProperties;
  private final UnaryOperator<String> environment;

  SecretsManagerEndpoint(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  static SecretsManagerEndpoint fromThisProcess() {
    return new SecretsManagerEndpoint(System::getProperty, System::getenv);
  }

  /** @throws UnreadableSecretException for a region that is no host label, or a malformed setting */
  URI forRegion(String region) {
    if (region == null || !REGION.matcher(region).matches()) {
      throw new UnreadableSecretException("'" + region + "' is not an AWS region");
    }
    if (!flag("aws.ignoreConfiguredEndpointUrls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
      String[][] overrides = {
          {"system property", "aws.endpointUrlSecretsManager", systemProperties.apply("aws.endpointUrlSecretsManager")},
          {"system property", "aws.endpointUrl", systemProperties.apply("aws.endpointUrl")},
          {"environment variable", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
              environment.apply("AWS_ENDPOINT_URL_SECRETS_MANAGER")},
          {"environment variable", "AWS_ENDPOINT_URL", environment.apply("AWS_ENDPOINT_URL")}};
      for (String[] override : overrides) {
        if (override[2] != null && !override[2].isBlank()) {
          return configured(override[0] + " " + override[1], override[2].strip());
        }
      }
    }
    boolean fips = flag("aws.useFipsEndpoint", "AWS_USE_FIPS_ENDPOINT");
    return URI.create("https://secretsmanager" + (fips ? "-fips" : "") + "." + region + "." + dnsSuffix(region));
  }

  /**
   * The partition's domain (the SDK's partitions data, which its regions module only reaches through every
   * service's endpoint metadata, too large to keep for this one name).
   */
  static String dnsSuffix(String region) {
    if (region.startsWith("cn-")) {
      return "amazonaws.com.cn";
    } else if (region.startsWith("us-isob-")) {
      return "sc2s.sgov.gov";
    } else if (region.startsWith("us-isof-")) {
      return "csp.hci.ic.gov";
    } else if (region.startsWith("us-iso-")) {
      return "c2s.ic.gov";
    } else if (region.startsWith("eu-isoe-")) {
      return "cloud.adc-e.uk";
    } else if (region.startsWith("eusc-")) {
      return "amazonaws.eu";
    }
    return "amazonaws.com";
  }

  private static URI configured(String source, String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, without the parser's text
    }
    throw new UnreadableSecretException("the " + source + " is not an http(s) URL: '" + value + "'");
  }

  /** The SDK's boolean settings: the system property first, then the variable; true or false, any case. */
  private boolean flag(String property, String variable) {
    String fromProperty = systemProperties.apply(property);
    String value = fromProperty != null ? fromProperty : environment.apply(variable);
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    } else if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw new UnreadableSecretException((fromProperty != null ? "the system property " + property
        : "the environment variable " + variable) + " must be true or false, not '" + value + "'");
  }
}
