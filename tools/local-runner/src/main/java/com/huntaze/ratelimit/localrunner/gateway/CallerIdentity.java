package com.huntaze.ratelimit.localrunner.gateway;

import com.huntaze.ratelimit.localrunner.template.PseudoParameters;

/**
 * Who signed a request, as API Gateway's IAM authorization puts it in the event
 * ({@code requestContext.authorizer.iam}). Locally every key is a user named {@code local} of the run's account.
 */
public record CallerIdentity(String accessKey, String accountId, String callerId, String userArn, String userId) {

  static CallerIdentity of(LocalCredentials credentials) {
    String account = PseudoParameters.ACCOUNT_ID;
    return new CallerIdentity(credentials.accessKeyId(), account, credentials.accessKeyId(),
        "arn:aws:iam::" + account + ":user/local", credentials.accessKeyId());
  }
}
