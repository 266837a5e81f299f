package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** The function subnets: the cache's VPC, two zones, egress for Secrets Manager, and existing route-table associations. */
final class SubnetCheck {
  private final Context context;
  private final Ec2Client ec2;

  SubnetCheck(Context context) {
    this.context = context;
    this.ec2 = context.aws().ec2;
  }

  List<Finding> run(Optional<CacheFacts> cache) {
    List<Finding> findings = new ArrayList<>();
    Parameters p = context.parameters();
    List<String> ids = p.functionSubnets();
    if (ids.size() < 2) {
      findings.add(Finding.fail("subnets.exist", "FunctionSubnetIds needs two private subnets; samconfig has "
          + (ids.isEmpty() ? "none (or only placeholders)" : ids), Parameters.set("FunctionSubnetIds",
          "subnet-a,subnet-b", context.env()) + cacheSubnetsHint(cache)));
      if (ids.isEmpty()) {
        return findings;
      }
    }
    List<Subnet> subnets;
    try {
      subnets = ec2.describeSubnets(r -> r.subnetIds(ids)).subnets();
    } catch (Ec2Exception e) {
      findings.add(Finding.fail("subnets.exist", "FunctionSubnetIds " + ids + ": " + e.awsErrorDetails().errorMessage(),
          Parameters.set("FunctionSubnetIds", "subnet-a,subnet-b", context.env()) + cacheSubnetsHint(cache)));
      return findings;
    }
    findings.add(vpc(subnets, cache));
    findings.add(zones(subnets));
    Map<String, Optional<RouteTable>> explicit = new LinkedHashMap<>();
    for (Subnet subnet : subnets) {
      explicit.put(subnet.subnetId(), explicitTable(subnet.subnetId()));
    }
    findings.add(associations(explicit));
    findings.add(new EgressCheck(context).run(subnets, explicit));
    return findings;
  }

  private String cacheSubnetsHint(Optional<CacheFacts> cache) {
    return cache.filter(c -> !c.subnetIds().isEmpty()).map(c -> " (the cache's subnets: "
        + String.join(",", c.subnetIds()) + ")").orElse("");
  }

  private Finding vpc(List<Subnet> subnets, Optional<CacheFacts> cache) {
    Map<String, List<String>> byVpc = subnets.stream().collect(Collectors.groupingBy(Subnet::vpcId,
        LinkedHashMap::new, Collectors.mapping(Subnet::subnetId, Collectors.toList())));
    Optional<String> vpcParam = context.parameters().get("VpcId");
    Optional<String> cacheVpc = cache.flatMap(CacheFacts::vpcId);
    String expected = cacheVpc.or(() -> vpcParam).orElse(null);
    String fix = Parameters.set("FunctionSubnetIds", "<two subnets of " + (expected == null ? "the cache's VPC" : expected)
        + ">", context.env()) + " (aws ec2 describe-subnets --filters Name=vpc-id,Values=" + (expected == null
        ? "<vpc>" : expected) + " --query 'Subnets[].[SubnetId,AvailabilityZone]')" + cacheSubnetsHint(cache);
    if (byVpc.size() > 1) {
      return Finding.fail("subnets.vpc", "the function subnets are in different VPCs: " + byVpc, fix);
    }
    String subnetVpc = byVpc.keySet().iterator().next();
    if (cacheVpc.isPresent() && !cacheVpc.get().equals(subnetVpc)) {
      return Finding.fail("subnets.vpc", "the function subnets are in " + subnetVpc + " but the cache is in "
          + cacheVpc.get() + ": the functions cannot reach it (ElastiCache is reachable only inside its VPC)", fix);
    }
    if (vpcParam.isPresent() && !vpcParam.get().equals(subnetVpc)) {
      return Finding.fail("subnets.vpc", "VpcId is " + vpcParam.get() + " but the function subnets are in " + subnetVpc
          + ": the stack's security group would be created in another VPC than its functions",
          Parameters.set("VpcId", cacheVpc.orElse(subnetVpc), context.env()));
    }
    if (vpcParam.isEmpty()) {
      return Finding.fail("subnets.vpc", "VpcId is not set (or a placeholder); the subnets are in " + subnetVpc,
          Parameters.set("VpcId", cacheVpc.orElse(subnetVpc), context.env()));
    }
    return Finding.pass("subnets.vpc", "both function subnets are in " + subnetVpc + (cacheVpc.isPresent()
        ? ", the cache's VPC and VpcId" : ", VpcId (the cache's VPC is unknown)"));
  }

  private static Finding zones(List<Subnet> subnets) {
    long zones = subnets.stream().map(Subnet::availabilityZone).distinct().count();
    if (zones >= 2) {
      return Finding.pass("subnets.zones", "the function subnets span " + zones + " Availability Zones");
    }
    return Finding.warn("subnets.zones", "the function subnets are all in " + subnets.get(0).availabilityZone()
        + ": a zone outage stops every function", "pick subnets in two zones for FunctionSubnetIds");
  }

  /** The subnet's explicit route-table association, if any (without one it uses the VPC's main table). */
  Optional<RouteTable> explicitTable(String subnetId) {
    return ec2.describeRouteTables(r -> r.filters(Filter.builder().name("association.subnet-id").values(subnetId).build()))
        .routeTables().stream().findFirst();
  }

  private Finding associations(Map<String, Optional<RouteTable>> explicit) {
    if (!context.parameters().flag("CreateNatGateway")) {
      return Finding.pass("subnets.route-table-associations", "CreateNatGateway=false: the stack associates no route table");
    }
    List<String> taken = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    explicit.forEach((subnet, table) -> table.ifPresent(t -> {
      String association = t.associations().stream().filter(a -> subnet.equals(a.subnetId()))
          .map(RouteTableAssociation::routeTableAssociationId).findFirst().orElse("?");
      taken.add(subnet + " (" + t.routeTableId() + ", " + association + ")");
      fixes.add("aws ec2 disassociate-route-table --association-id " + association);
    }));
    if (taken.isEmpty()) {
      return Finding.pass("subnets.route-table-associations", "no explicit route-table association on the function"
          + " subnets: the stack's FunctionSubnetRouteA/B can associate its NAT route table");
    }
    return Finding.fail("subnets.route-table-associations", "CreateNatGateway=true but the function subnets already"
        + " have explicit route-table associations: " + String.join("; ", taken) + ". A subnet has at most one, so"
        + " the stack fails creating FunctionSubnetRouteA/B (AlreadyAssociated) and rolls back", "either "
        + Parameters.set("CreateNatGateway", "false", context.env()) + " and give those tables a route out (aws ec2"
        + " create-route --route-table-id <rtb> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat>) or a"
        + " Secrets Manager endpoint; or remove the associations if their tables are not needed: "
        + String.join("; ", fixes));
  }
}
