package com.huntaze.ratelimit.doctor;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * An account seeded through the SDK as a user's would look before deploying: a VPC with two private
 * subnets (two zones) and a public one, a NAT gateway, the cache's subnet group and security group
 * (admitting the port from an application group only), and a replication group with TLS and an AUTH token.
 */
final class SeededAccount {
  final Ec2Client ec2;
  final ElastiCacheClient elastiCache;
  String vpcId;
  String subnetA;
  String subnetB;
  String publicSubnet;
  String natGatewayId;
  String privateRouteTable;
  String cacheGroup;
  String appGroup;
  String cacheEndpoint;

  SeededAccount(AwsClients aws) {
    this.ec2 = aws.ec2;
    this.elastiCache = aws.elastiCache;
  }

  /** The network: VPC, subnets, internet and NAT gateways; the private subnets have no route out yet. */
  SeededAccount network() {
    vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    subnetA = subnet(vpcId, "10.0.1.0/24", "us-east-1a");
    subnetB = subnet(vpcId, "10.0.2.0/24", "us-east-1b");
    publicSubnet = subnet(vpcId, "10.0.100.0/24", "us-east-1a");
    String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
    ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
    String publicTable = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
    ec2.createRoute(r -> r.routeTableId(publicTable).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
    ec2.associateRouteTable(r -> r.routeTableId(publicTable).subnetId(publicSubnet));
    String eip = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
    natGatewayId = ec2.createNatGateway(r -> r.subnetId(publicSubnet).allocationId(eip)).natGateway().natGatewayId();
    return this;
  }

  /** The private subnets' own route table, 0.0.0.0/0 through the NAT gateway, explicitly associated. */
  SeededAccount natRoute() {
    privateRouteTable = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
    ec2.createRoute(r -> r.routeTableId(privateRouteTable).destinationCidrBlock("0.0.0.0/0").natGatewayId(natGatewayId));
    for (String subnet : List.of(subnetA, subnetB)) {
      ec2.associateRouteTable(r -> r.routeTableId(privateRouteTable).subnetId(subnet));
    }
    return this;
  }

  /** The cache's group admits 6379 from the application's group only. */
  SeededAccount securityGroups() {
    appGroup = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("app").description("app")).groupId();
    cacheGroup = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("cache").description("cache")).groupId();
    ec2.authorizeSecurityGroupIngress(r -> r.groupId(cacheGroup).ipPermissions(IpPermission.builder().ipProtocol("tcp")
        .fromPort(6379).toPort(6379).userIdGroupPairs(UserIdGroupPair.builder().groupId(appGroup).build()).build()));
    return this;
  }

  SeededAccount openToTheWorld() {
    ec2.authorizeSecurityGroupIngress(r -> r.groupId(cacheGroup).ipPermissions(IpPermission.builder().ipProtocol("tcp")
        .fromPort(6379).toPort(6379).ipRanges(ip -> ip.cidrIp("0.0.0.0/0")).build()));
    return this;
  }

  /**
   * The replication group "rl-cache" and its first member cluster (AWS makes the members itself; moto
   * 5.2.1 does not, so the seed adds it with the subnet group and security group the members would have).
   */
  SeededAccount cache(boolean tls) {
    elastiCache.createCacheSubnetGroup(r -> r.cacheSubnetGroupName("rl-subnets").cacheSubnetGroupDescription("cache")
        .subnetIds(subnetA, subnetB));
    ReplicationGroup group = elastiCache.createReplicationGroup(r -> {
      r.replicationGroupId("rl-cache").replicationGroupDescription("rate limiter").engine("redis").engineVersion("7.1")
          .cacheNodeType("cache.t4g.small").cacheSubnetGroupName("rl-subnets").securityGroupIds(cacheGroup)
          .replicasPerNodeGroup(1).automaticFailoverEnabled(true).multiAZEnabled(true).transitEncryptionEnabled(tls);
      if (tls) {
        r.authToken("a-long-enough-auth-token-0123456789");
      }
    }).replicationGroup();
    elastiCache.createCacheCluster(r -> r.cacheClusterId(group.memberClusters().get(0)).replicationGroupId("rl-cache")
        .engine("redis").engineVersion("7.1").cacheNodeType("cache.t4g.small").numCacheNodes(1)
        .cacheSubnetGroupName("rl-subnets").securityGroupIds(cacheGroup));
    cacheEndpoint = group.nodeGroups().get(0).primaryEndpoint().address();
    return this;
  }

  /** Two private subnets of another VPC. */
  List<String> subnetsOfAnotherVpc() {
    String other = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
    return List.of(subnet(other, "10.9.1.0/24", "us-east-1a"), subnet(other, "10.9.2.0/24", "us-east-1b"));
  }

  private String subnet(String vpc, String cidr, String zone) {
    return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
  }

  /** samconfig.toml for this account, the shape of the project's own, with overrides replacing parameters. */
  String samconfig(String... overrides) {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("VpcId", vpcId);
    p.put("FunctionSubnetIds", subnetA + "," + subnetB);
    p.put("CreateNatGateway", "false");
    p.put("NatPublicSubnetId", publicSubnet);
    p.put("CacheEndpoint", Optional.ofNullable(cacheEndpoint).orElse("none"));
    p.put("CachePort", "6379");
    p.put("CacheSecurityGroupId", cacheGroup);
    p.put("RedisTls", "true");
    p.put("RedisClusterMode", "false");
    p.put("RedisAuthMode", "secret");
    p.put("RedisAuthSecretName", "ai-rate-limiter/dev/redis-auth");
    for (String o : overrides) {
      p.put(o.substring(0, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
    }
    StringBuilder toml = new StringBuilder("version = 0.1\n\n[dev.deploy.parameters]\nstack_name = \"ai-rate-limiter-dev\"\n"
        + "region = \"us-east-1\"\nparameter_overrides = [\n");
    p.forEach((k, v) -> toml.append("  \"").append(k).append('=').append(v).append("\",\n"));
    return toml.append("]\n").toString();
  }
}
