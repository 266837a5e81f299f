package com.huntaze.ratelimit.doctor;

/** What every check reads: the options, samconfig's parameters for the environment, and the AWS clients. */
public record Context(Options options, Parameters parameters, AwsClients aws) {
  public String env() {
    return options.configEnv();
  }

  public String region() {
    return aws.region().id();
  }
}
