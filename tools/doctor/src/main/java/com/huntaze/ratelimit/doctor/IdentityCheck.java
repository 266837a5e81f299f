package com.huntaze.ratelimit.doctor;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Who the doctor runs as (STS GetCallerIdentity): proves the credentials and region work before anything else. */
final class IdentityCheck {
  private final Context context;

  IdentityCheck(Context context) {
    this.context = context;
  }

  Finding run() {
    try {
      GetCallerIdentityResponse me = context.aws().sts.getCallerIdentity();
      return Finding.pass("aws.identity", "account " + me.account() + " as " + me.arn() + ", region " + context.region());
    } catch (SdkException e) {
      return Finding.fail("aws.identity", "no working AWS credentials: " + e.getMessage(), "aws configure"
          + (context.options().profile().map(p -> " --profile " + p).orElse("")) + ", or export AWS_PROFILE");
    }
  }
}
