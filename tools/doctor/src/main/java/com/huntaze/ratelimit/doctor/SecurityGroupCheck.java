package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * The cache's security groups: CacheSecurityGroupId is one of them, nothing from 0.0.0.0/0 or ::/0 reaches the
 * cache port, and (after deploy) the functions' group is admitted on it.
 */
final class SecurityGroupCheck {
  private final Context context;

  SecurityGroupCheck(Context context) {
    this.context = context;
  }

  List<Finding> run(Optional<CacheFacts> cache, Optional<String> functionGroup) {
    List<Finding> findings = new ArrayList<>();
    Parameters p = context.parameters();
    int port = cache.flatMap(CacheFacts::port).orElse(p.port());
    Optional<String> configured = p.get("CacheSecurityGroupId");
    Optional<List<String>> cacheGroups = cache.flatMap(CacheFacts::securityGroupIds);
    Set<String> ids = new LinkedHashSet<>(cacheGroups.orElse(List.of()));
    configured.ifPresent(ids::add);
    if (configured.isEmpty()) {
      findings.add(Finding.fail("sg.cache-group", "CacheSecurityGroupId is not set (or a placeholder): the stack"
          + " cannot admit the functions to the cache", Parameters.set("CacheSecurityGroupId", cacheGroups
          .filter(g -> !g.isEmpty()).map(g -> g.get(0)).orElse("<the cache's group>"), context.env())));
    } else if (cacheGroups.isEmpty()) {
      findings.add(Finding.unknown("sg.cache-group", "ElastiCache did not list the cache's security groups, so"
          + " whether " + configured.get() + " is one of them is unknown; checking " + configured.get() + " alone",
          "aws elasticache describe-cache-clusters --query 'CacheClusters[].SecurityGroups'"));
    } else if (!cacheGroups.get().contains(configured.get())) {
      findings.add(Finding.fail("sg.cache-group", "CacheSecurityGroupId " + configured.get() + " is not a group of"
          + " the cache (" + String.join(", ", cacheGroups.get()) + "): the stack's ingress rule would open a group"
          + " the cache does not use", Parameters.set("CacheSecurityGroupId", cacheGroups.get().get(0), context.env())));
    } else {
      findings.add(Finding.pass("sg.cache-group", "CacheSecurityGroupId " + configured.get() + " is the cache's group"));
    }
    if (ids.isEmpty()) {
      return findings;
    }
    List<SecurityGroup> groups;
    try {
      groups = context.aws().ec2.describeSecurityGroups(r -> r.groupIds(ids)).securityGroups();
    } catch (Ec2Exception e) {
      findings.add(Finding.fail("sg.cache-group", "security groups " + ids + ": " + e.awsErrorDetails().errorMessage(),
          Parameters.set("CacheSecurityGroupId", "<the cache's group>", context.env())));
      return findings;
    }
    findings.add(openToWorld(groups, port));
    configured.flatMap(id -> groups.stream().filter(g -> g.groupId().equals(id)).findFirst())
        .ifPresent(g -> findings.add(functionsAdmitted(g, port, functionGroup)));
    return findings;
  }

  static boolean coversPort(IpPermission permission, int port) {
    if ("-1".equals(permission.ipProtocol())) {
      return true;
    }
    return "tcp".equals(permission.ipProtocol()) && permission.fromPort() != null && permission.toPort() != null
        && permission.fromPort() <= port && port <= permission.toPort();
  }

  private Finding openToWorld(List<SecurityGroup> groups, int port) {
    List<String> open = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    for (SecurityGroup group : groups) {
      for (IpPermission permission : group.ipPermissions()) {
        if (!coversPort(permission, port)) {
          continue;
        }
        String range = describe(permission);
        for (IpRange r : permission.ipRanges()) {
          if ("0.0.0.0/0".equals(r.cidrIp())) {
            open.add(group.groupId() + " " + range + " from 0.0.0.0/0");
            fixes.add("aws ec2 revoke-security-group-ingress --group-id " + group.groupId() + " --ip-permissions '"
                + permissionJson(permission) + ",\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]'");
          }
        }
        for (Ipv6Range r : permission.ipv6Ranges()) {
          if ("::/0".equals(r.cidrIpv6())) {
            open.add(group.groupId() + " " + range + " from ::/0");
            fixes.add("aws ec2 revoke-security-group-ingress --group-id " + group.groupId() + " --ip-permissions '"
                + permissionJson(permission) + ",\"Ipv6Ranges\":[{\"CidrIpv6\":\"::/0\"}]}]'");
          }
        }
      }
    }
    if (open.isEmpty()) {
      return Finding.pass("sg.open-world", "no rule admits 0.0.0.0/0 or ::/0 to port " + port + " on "
          + String.join(", ", groups.stream().map(SecurityGroup::groupId).toList()));
    }
    return Finding.fail("sg.open-world", "the cache port " + port + " is open to the whole internet range: "
        + String.join("; ", open) + " (anything with a route into the VPC can try the cache)", String.join("; ", fixes));
  }

  private static String describe(IpPermission permission) {
    return "-1".equals(permission.ipProtocol()) ? "all traffic"
        : "tcp " + permission.fromPort() + (permission.fromPort().equals(permission.toPort()) ? "" : "-" + permission.toPort());
  }

  private static String permissionJson(IpPermission permission) {
    return "[{\"IpProtocol\":\"" + permission.ipProtocol() + "\"" + ("-1".equals(permission.ipProtocol()) ? ""
        : ",\"FromPort\":" + permission.fromPort() + ",\"ToPort\":" + permission.toPort());
  }

  private Finding functionsAdmitted(SecurityGroup cacheGroup, int port, Optional<String> functionGroup) {
    if (functionGroup.isEmpty()) {
      return Finding.pass("sg.cache-port", "before deploy: the stack adds CacheIngressFromFunctions (tcp " + port
          + " from its FunctionSecurityGroup) to " + cacheGroup.groupId() + "; run with --stack after deploy to see it");
    }
    boolean admitted = cacheGroup.ipPermissions().stream().filter(p -> coversPort(p, port))
        .flatMap(p -> p.userIdGroupPairs().stream()).map(UserIdGroupPair::groupId)
        .anyMatch(functionGroup.get()::equals);
    if (admitted) {
      return Finding.pass("sg.cache-port", cacheGroup.groupId() + " admits tcp " + port + " from the functions' group "
          + functionGroup.get());
    }
    return Finding.fail("sg.cache-port", cacheGroup.groupId() + " has no rule admitting tcp " + port + " from the"
        + " functions' group " + functionGroup.get() + ": every Redis connection times out", "aws ec2"
        + " authorize-security-group-ingress --group-id " + cacheGroup.groupId() + " --protocol tcp --port " + port
        + " --source-group " + functionGroup.get() + " (or redeploy: the stack's CacheIngressFromFunctions adds it)");
  }
}
