package com.huntaze.ratelimit.localrunner.template;

import java.util.Map;

/**
 * The account and region a local run pretends to be in: the values of the template's pseudo parameters,
 * and what the Lambda variables, function ARNs and API Gateway events of the run name.
 */
public final class PseudoParameters {
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = "123456789012";

  static final Map<String, String> VALUES = Map.of(
      "AWS::Region", REGION,
      "AWS::AccountId", ACCOUNT_ID,
      "AWS::Partition", "aws",
      "AWS::URLSuffix", "amazonaws.com",
      "AWS::StackName", "local",
      "AWS::StackId", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/local/local");

  private PseudoParameters() {
  }
}
