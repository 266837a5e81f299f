package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroup;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.Endpoint;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.elasticache.model.Subnet;

/**
 * Finds the replication group (by id, or the one one of whose endpoints is CacheEndpoint) and gathers its
 * facts: the group itself, its first member cluster (engine version, subnet group, security groups, which
 * DescribeReplicationGroups does not return) and its subnet group (the VPC).
 */
final class CacheLookup {
  private final ElastiCacheClient client;

  CacheLookup(ElastiCacheClient client) {
    this.client = client;
  }

  Optional<ReplicationGroup> byId(String id) {
    try {
      return client.describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().stream().findFirst();
    } catch (ReplicationGroupNotFoundException e) {
      return Optional.empty();
    }
  }

  Optional<ReplicationGroup> byEndpoint(String host) {
    for (ReplicationGroup group : client.describeReplicationGroupsPaginator(r -> { }).replicationGroups()) {
      if (endpoints(group).stream().anyMatch(host::equalsIgnoreCase)) {
        return Optional.of(group);
      }
    }
    return Optional.empty();
  }

  /** Every address the group answers on: primary, reader, configuration and node endpoints. */
  static List<String> endpoints(ReplicationGroup group) {
    List<String> all = new ArrayList<>();
    address(group.configurationEndpoint()).ifPresent(all::add);
    for (NodeGroup nodeGroup : group.nodeGroups()) {
      address(nodeGroup.primaryEndpoint()).ifPresent(all::add);
      address(nodeGroup.readerEndpoint()).ifPresent(all::add);
      for (NodeGroupMember member : nodeGroup.nodeGroupMembers()) {
        address(member.readEndpoint()).ifPresent(all::add);
      }
    }
    return all;
  }

  private static Optional<String> address(Endpoint endpoint) {
    return endpoint == null || endpoint.address() == null ? Optional.empty() : Optional.of(endpoint.address());
  }

  CacheFacts facts(ReplicationGroup group) {
    Optional<CacheCluster> member = group.memberClusters().stream().findFirst().flatMap(this::cluster);
    Optional<String> subnetGroupName = member.map(CacheCluster::cacheSubnetGroupName);
    Optional<CacheSubnetGroup> subnetGroup = subnetGroupName.flatMap(this::subnetGroup);
    Optional<List<String>> securityGroups = member.filter(CacheCluster::hasSecurityGroups)
        .map(c -> c.securityGroups().stream().map(SecurityGroupMembership::securityGroupId).toList());
    NodeGroup first = group.nodeGroups().isEmpty() ? null : group.nodeGroups().get(0);
    List<String> nodes = group.nodeGroups().stream().flatMap(g -> g.nodeGroupMembers().stream())
        .map(m -> address(m.readEndpoint())).flatMap(Optional::stream).toList();
    Optional<Integer> port = Optional.ofNullable(group.configurationEndpoint()).map(Endpoint::port)
        .or(() -> Optional.ofNullable(first).map(NodeGroup::primaryEndpoint).map(Endpoint::port));
    return new CacheFacts(
        group.replicationGroupId(),
        group.status(),
        Optional.ofNullable(group.engine()).or(() -> member.map(CacheCluster::engine)).orElse("redis"),
        member.map(CacheCluster::engineVersion),
        Optional.ofNullable(group.cacheNodeType()).orElse("?"),
        Optional.ofNullable(group.clusterEnabled()),
        Optional.ofNullable(group.multiAZAsString()),
        Optional.ofNullable(group.transitEncryptionEnabled()),
        Optional.ofNullable(group.authTokenEnabled()),
        group.userGroupIds(),
        Optional.ofNullable(first).map(NodeGroup::primaryEndpoint).flatMap(CacheLookup::address),
        Optional.ofNullable(first).map(NodeGroup::readerEndpoint).flatMap(CacheLookup::address),
        address(group.configurationEndpoint()),
        nodes,
        port,
        subnetGroupName,
        subnetGroup.map(CacheSubnetGroup::vpcId),
        subnetGroup.map(g -> g.subnets().stream().map(Subnet::subnetIdentifier).toList()).orElse(List.of()),
        securityGroups);
  }

  private Optional<CacheCluster> cluster(String id) {
    try {
      return client.describeCacheClusters(r -> r.cacheClusterId(id)).cacheClusters().stream().findFirst();
    } catch (CacheClusterNotFoundException e) {
      return Optional.empty();   // moto: a replication group's member clusters are not created
    }
  }

  private Optional<CacheSubnetGroup> subnetGroup(String name) {
    try {
      return client.describeCacheSubnetGroups(r -> r.cacheSubnetGroupName(name)).cacheSubnetGroups().stream()
          .findFirst();
    } catch (CacheSubnetGroupNotFoundException e) {
      return Optional.empty();
    }
  }
}
