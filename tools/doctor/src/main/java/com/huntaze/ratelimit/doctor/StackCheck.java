package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/** After deploy: the stack's status and outputs, its alarms' states, and the signed GET /test-redis. */
final class StackCheck {
  private static final List<String> EXPECTED_OUTPUTS = List.of("ApiUrl", "FunctionSecurityGroupId",
      "RateCheckFunctionArn", "ConnectionTestFunctionArn");

  record Outcome(List<Finding> findings, Map<String, String> outputs) {
  }

  private final Context context;

  StackCheck(Context context) {
    this.context = context;
  }

  Outcome run(String name) {
    List<Finding> findings = new ArrayList<>();
    Stack stack;
    try {
      stack = context.aws().cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0);
    } catch (CloudFormationException e) {
      findings.add(Finding.fail("stack.status", "stack " + name + " not found in " + context.region() + " ("
          + e.awsErrorDetails().errorMessage() + ")", "sam deploy --config-env " + context.env()));
      return new Outcome(findings, Map.of());
    }
    findings.add(status(stack));
    Map<String, String> outputs = new LinkedHashMap<>();
    stack.outputs().forEach((Output o) -> outputs.put(o.outputKey(), o.outputValue()));
    List<String> missing = EXPECTED_OUTPUTS.stream().filter(k -> !outputs.containsKey(k)).toList();
    String listed = String.join(", ", outputs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    findings.add(missing.isEmpty() ? Finding.pass("stack.outputs", listed)
        : Finding.warn("stack.outputs", "missing " + missing + (outputs.isEmpty() ? "" : "; has " + listed),
            "redeploy from this template: sam deploy --config-env " + context.env()));
    try {
      findings.add(alarms(name));
    } catch (SdkException e) {
      // the status and outputs above still stand when only the alarms cannot be read
      findings.add(Finding.unknown("stack.alarms", "could not read the stack's alarms: " + e.getMessage(),
          "allow cloudwatch:DescribeAlarms and cloudformation:DescribeStackResources, then run the doctor again"));
    }
    String apiUrl = outputs.get("ApiUrl");
    findings.add(apiUrl == null ? Finding.skipped("stack.test-redis", "no ApiUrl output to call GET /test-redis on")
        : TestRedisCall.run(apiUrl, context.aws().region(), context.aws().credentials()));
    return new Outcome(findings, outputs);
  }

  private Finding status(Stack stack) {
    String status = stack.stackStatusAsString();
    String reason = stack.stackStatusReason() == null ? "" : " (" + stack.stackStatusReason() + ")";
    if (status.endsWith("_COMPLETE") && !status.contains("ROLLBACK") && !status.startsWith("DELETE")) {
      return Finding.pass("stack.status", stack.stackName() + " " + status);
    }
    if (status.endsWith("_IN_PROGRESS")) {
      return Finding.warn("stack.status", stack.stackName() + " " + status + reason, "wait, then run the doctor again");
    }
    return Finding.fail("stack.status", stack.stackName() + " " + status + reason, "aws cloudformation"
        + " describe-stack-events --stack-name " + stack.stackName() + " --query"
        + " 'StackEvents[?contains(ResourceStatus,`FAILED`)].[LogicalResourceId,ResourceStatusReason]'");
  }

  private Finding alarms(String stackName) {
    List<String> names = new ArrayList<>();
    for (StackResource resource : context.aws().cloudFormation.describeStackResources(r -> r.stackName(stackName))
        .stackResources()) {
      if ("AWS::CloudWatch::Alarm".equals(resource.resourceType()) && resource.physicalResourceId() != null) {
        names.add(resource.physicalResourceId());
      }
    }
    List<MetricAlarm> alarms = new ArrayList<>();
    for (int i = 0; i < names.size(); i += 100) {
      List<String> batch = names.subList(i, Math.min(names.size(), i + 100));
      alarms.addAll(context.aws().cloudWatch.describeAlarms(r -> r.alarmNames(batch)).metricAlarms());
    }
    if (alarms.isEmpty()) {
      return Finding.warn("stack.alarms", "the stack has no CloudWatch alarms", "deploy the project's template.yaml");
    }
    List<String> firing = alarms.stream().filter(a -> "ALARM".equals(a.stateValueAsString()))
        .map(a -> a.alarmName() + " (" + a.stateReason() + ")").toList();
    long noData = alarms.stream().filter(a -> "INSUFFICIENT_DATA".equals(a.stateValueAsString())).count();
    if (!firing.isEmpty()) {
      return Finding.fail("stack.alarms", firing.size() + " of " + alarms.size() + " alarms in ALARM: "
          + String.join("; ", firing), "look at the functions' logs: sam logs --stack-name " + stackName + " --tail");
    }
    Optional<String> lost = names.stream().filter(n -> alarms.stream().noneMatch(a -> a.alarmName().equals(n))).findFirst();
    return Finding.pass("stack.alarms", alarms.size() + " alarms, none in ALARM" + (noData > 0 ? " (" + noData
        + " without data yet: no traffic)" : "") + lost.map(n -> "; " + n + " not found in CloudWatch").orElse(""));
  }
}
