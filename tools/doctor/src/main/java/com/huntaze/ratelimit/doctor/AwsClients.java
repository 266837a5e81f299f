package com.huntaze.ratelimit.doctor;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The five service clients, sharing one URLConnection HTTP client, one region, credentials and endpoint. */
public final class AwsClients implements AutoCloseable {
  private final SdkHttpClient http = UrlConnectionHttpClient.create();
  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Optional<URI> endpoint;
  public final Ec2Client ec2;
  public final ElastiCacheClient elastiCache;
  public final CloudFormationClient cloudFormation;
  public final CloudWatchClient cloudWatch;
  public final StsClient sts;

  public AwsClients(Region region, Optional<String> profile, Optional<URI> endpoint) {
    this(region, profile.<AwsCredentialsProvider>map(p -> ProfileCredentialsProvider.builder().profileName(p).build())
        .orElseGet(() -> DefaultCredentialsProvider.builder().build()), endpoint);
  }

  public AwsClients(Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint) {
    this.region = region;
    this.credentials = credentials;
    this.endpoint = endpoint;
    this.ec2 = configure(Ec2Client.builder()).build();
    this.elastiCache = configure(ElastiCacheClient.builder()).build();
    this.cloudFormation = configure(CloudFormationClient.builder()).build();
    this.cloudWatch = configure(CloudWatchClient.builder()).build();
    this.sts = configure(StsClient.builder()).build();
  }

  public Region region() {
    return region;
  }

  /** The credentials every client signs with: the doctor's own signed call uses them too. */
  public AwsCredentialsProvider credentials() {
    return credentials;
  }

  private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
      B configure(B builder) {
    builder.region(region).credentialsProvider(credentials).httpClient(http);
    endpoint.ifPresent(builder::endpointOverride);
    return builder;
  }

  @Override
  public void close() {
    ec2.close();
    elastiCache.close();
    cloudFormation.close();
    cloudWatch.close();
    sts.close();
    http.close();
  }
}
