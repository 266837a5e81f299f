package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/** The cache: exists, status, engine and version, node type, cluster mode, Multi-AZ, TLS, AUTH/RBAC, subnet group. */
final class CacheCheck {
  record Outcome(List<Finding> findings, Optional<CacheFacts> cache) {
  }

  private final Context context;

  CacheCheck(Context context) {
    this.context = context;
  }

  Outcome run() {
    List<Finding> findings = new ArrayList<>();
    CacheLookup lookup = new CacheLookup(context.aws().elastiCache);
    Parameters p = context.parameters();
    Optional<ReplicationGroup> group;
    String wanted;
    if (context.options().cache().isPresent()) {
      wanted = "replication group " + context.options().cache().get();
      group = lookup.byId(context.options().cache().get());
    } else if (p.get("CacheEndpoint").isPresent()) {
      wanted = "a replication group with endpoint " + p.get("CacheEndpoint").get();
      group = lookup.byEndpoint(p.get("CacheEndpoint").get());
    } else {
      findings.add(Finding.fail("cache.exists", "no cache to check: CacheEndpoint is "
          + (p.placeholder("CacheEndpoint") ? "still a REPLACE-ME placeholder" : "not set") + " and no --cache was given",
          "pass --cache <replication group id>, or " + Parameters.set("CacheEndpoint", "<primary endpoint>", context.env())
              + " (aws elasticache describe-replication-groups --query"
              + " 'ReplicationGroups[].[ReplicationGroupId,NodeGroups[0].PrimaryEndpoint.Address]')"));
      return new Outcome(findings, Optional.empty());
    }
    if (group.isEmpty()) {
      findings.add(Finding.fail("cache.exists", "no " + wanted + " in " + context.region()
          + " (ElastiCache answers only for replication groups: a single-node cluster without one is not supported)",
          "aws elasticache describe-replication-groups --region " + context.region()
              + " --query 'ReplicationGroups[].ReplicationGroupId', then pass --cache <id> or fix CacheEndpoint"));
      return new Outcome(findings, Optional.empty());
    }
    CacheFacts c = lookup.facts(group.get());
    findings.add(Finding.pass("cache.exists", "replication group " + c.id() + " in " + context.region()));
    findings.add(status(c));
    findings.add(engine(c));
    findings.add(Finding.pass("cache.node-type", c.nodeType()));
    findings.add(clusterMode(c));
    findings.add(multiAz(c));
    findings.add(tls(c));
    findings.add(auth(c));
    findings.add(subnetGroup(c));
    return new Outcome(findings, Optional.of(c));
  }

  private static Finding status(CacheFacts c) {
    return switch (c.status() == null ? "" : c.status()) {
      case "available" -> Finding.pass("cache.status", "available");
      case "creating", "modifying", "snapshotting" -> Finding.warn("cache.status", c.status()
          + ": the cache is busy; checks of its settings may change when it is done", "wait, then run the doctor again");
      default -> Finding.fail("cache.status", "status " + c.status() + ": the functions cannot use it",
          "aws elasticache describe-events --source-type replication-group --source-identifier " + c.id());
    };
  }

  private Finding engine(CacheFacts c) {
    if (c.engineVersion().isEmpty()) {
      return Finding.unknown("cache.engine", c.engine() + ", version not reported (no member cluster found:"
          + " DescribeCacheClusters did not know " + c.id() + "'s first member)", "aws elasticache describe-cache-clusters"
          + " --query 'CacheClusters[?ReplicationGroupId==`" + c.id() + "`].[EngineVersion]'");
    }
    String version = c.engineVersion().get();
    int major = major(version);
    if ("redis".equals(c.engine()) && major > 0 && major < 6) {
      return Finding.warn("cache.engine", "redis " + version + ": no ACL users (RBAC) and no IAM authentication before 6;"
          + " the limiter needs Lua scripts (any version), FUNCTION LOAD is used from 7", "aws elasticache"
          + " modify-replication-group --replication-group-id " + c.id() + " --engine-version 7.1 --apply-immediately");
    }
    return Finding.pass("cache.engine", c.engine() + " " + version);
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Finding clusterMode(CacheFacts c) {
    return c.clusterEnabled().map(on -> Finding.pass("cache.cluster-mode", on
        ? "enabled (configuration endpoint " + c.configurationEndpoint().orElse("?") + ")" : "disabled"))
        .orElse(Finding.unknown("cache.cluster-mode", "ClusterEnabled not reported", ""));
  }

  private static Finding multiAz(CacheFacts c) {
    if (c.multiAz().isEmpty()) {
      return Finding.unknown("cache.multi-az", "MultiAZ not reported", "");
    }
    if ("enabled".equals(c.multiAz().get())) {
      return Finding.pass("cache.multi-az", "enabled: a primary's failure fails over to a replica in another zone");
    }
    return Finding.warn("cache.multi-az", "Multi-AZ is " + c.multiAz().get() + ": losing the primary's zone stops"
        + " every check until the node is replaced", "add a replica, then aws elasticache modify-replication-group"
        + " --replication-group-id " + c.id() + " --automatic-failover-enabled --multi-az-enabled --apply-immediately");
  }

  private static Finding tls(CacheFacts c) {
    if (c.transitEncryption().isEmpty()) {
      return Finding.unknown("cache.tls", "TransitEncryptionEnabled not reported", "");
    }
    if (c.transitEncryption().get()) {
      return Finding.pass("cache.tls", "in-transit encryption enabled");
    }
    return Finding.warn("cache.tls", "no in-transit encryption: Redis traffic (and any AUTH token) crosses the VPC"
        + " in plain text, and IAM authentication is impossible", "Redis 7+: aws elasticache modify-replication-group"
        + " --replication-group-id " + c.id() + " --transit-encryption-enabled --transit-encryption-mode preferred"
        + " --apply-immediately, then --transit-encryption-mode required");
  }

  private static Finding auth(CacheFacts c) {
    boolean token = c.authTokenEnabled().orElse(false);
    boolean rbac = !c.userGroupIds().isEmpty();
    if (token || rbac) {
      return Finding.pass("cache.auth", (token ? "AUTH token enabled" : "")
          + (token && rbac ? "; " : "") + (rbac ? "RBAC user groups " + String.join(", ", c.userGroupIds()) : ""));
    }
    if (c.authTokenEnabled().isEmpty()) {
      return Finding.unknown("cache.auth", "AuthTokenEnabled not reported and no user groups", "");
    }
    return Finding.warn("cache.auth", "neither an AUTH token nor RBAC user groups: anything that reaches the port"
        + " can read and write every key", "aws elasticache modify-replication-group --replication-group-id " + c.id()
        + " --auth-token <token> --auth-token-update-strategy ROTATE --apply-immediately (needs TLS), or"
        + " --user-group-ids-to-add <group>");
  }

  private static Finding subnetGroup(CacheFacts c) {
    if (c.subnetGroup().isEmpty()) {
      return Finding.unknown("cache.subnet-group", "the cache's subnet group was not reported (no member cluster"
          + " found), so its VPC is unknown", "aws elasticache describe-cache-clusters --show-cache-node-info"
          + " --query 'CacheClusters[?ReplicationGroupId==`" + c.id() + "`].CacheSubnetGroupName'");
    }
    if (c.vpcId().isEmpty()) {
      return Finding.unknown("cache.subnet-group", "subnet group " + c.subnetGroup().get() + " not found: VPC unknown",
          "aws elasticache describe-cache-subnet-groups --cache-subnet-group-name " + c.subnetGroup().get());
    }
    return Finding.pass("cache.subnet-group", c.subnetGroup().get() + " in " + c.vpcId().get() + " (subnets "
        + String.join(", ", c.subnetIds()) + ")");
  }
}
