package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * RedisAuthMode=secret reads the AUTH token from Secrets Manager at init: each function subnet needs a
 * route to a NAT gateway, or the VPC a Secrets Manager interface endpoint. (iam signs its token locally and
 * none reads nothing; metrics and logs leave through Lambda itself, not the subnets.)
 */
final class EgressCheck {
  private static final String ID = "subnets.egress";

  private final Context context;
  private final Ec2Client ec2;

  EgressCheck(Context context) {
    this.context = context;
    this.ec2 = context.aws().ec2;
  }

  Finding run(List<Subnet> subnets, Map<String, Optional<RouteTable>> explicit) {
    Parameters p = context.parameters();
    if (!"secret".equals(p.authMode())) {
      return Finding.pass(ID, "RedisAuthMode=" + p.authMode() + " calls no AWS API from the subnets: no NAT or"
          + " endpoint needed");
    }
    if (p.flag("CreateNatGateway")) {
      return Finding.pass(ID, "CreateNatGateway=true: the stack routes the function subnets through its own NAT"
          + " gateway in NatPublicSubnetId " + p.get("NatPublicSubnetId").orElse("(not set!)"));
    }
    String vpc = subnets.get(0).vpcId();
    Optional<VpcEndpoint> endpoint = secretsManagerEndpoint(vpc);
    if (p.flag("CreateSecretsManagerEndpoint")) {
      // one VPC holds one private-DNS endpoint per service: a second one cannot be created
      return endpoint.isEmpty()
          ? Finding.pass(ID, "CreateSecretsManagerEndpoint=true: the stack creates the Secrets Manager endpoint in "
              + vpc + " before the functions")
          : Finding.warn(ID, "CreateSecretsManagerEndpoint=true, and " + vpc + " already has Secrets Manager endpoint "
              + endpoint.get().vpcEndpointId() + ": right when it is this stack's own; otherwise the stack cannot"
              + " create a second one with private DNS", Parameters.set("CreateSecretsManagerEndpoint", "false",
              context.env()) + " (the existing endpoint serves the functions)");
    }
    if (endpoint.isPresent()) {
      boolean privateDns = Boolean.TRUE.equals(endpoint.get().privateDnsEnabled());
      return privateDns ? Finding.pass(ID, "Secrets Manager interface endpoint " + endpoint.get().vpcEndpointId()
          + " in " + vpc + " (private DNS on)")
          : Finding.warn(ID, "Secrets Manager endpoint " + endpoint.get().vpcEndpointId() + " has private DNS off: the"
          + " functions resolve the public name and time out", "aws ec2 modify-vpc-endpoint --vpc-endpoint-id "
          + endpoint.get().vpcEndpointId() + " --private-dns-enabled");
    }
    List<String> without = new ArrayList<>();
    List<String> viaIgw = new ArrayList<>();
    for (Subnet subnet : subnets) {
      Optional<RouteTable> table = explicit.get(subnet.subnetId()).or(() -> mainTable(vpc));
      Optional<Route> out = table.flatMap(EgressCheck::defaultRoute);
      if (out.isPresent() && out.get().natGatewayId() != null) {
        continue;
      }
      if (out.isPresent() && out.get().transitGatewayId() != null) {
        continue;   // egress through a transit gateway: assumed to lead to a NAT
      }
      String where = subnet.subnetId() + " (" + table.map(RouteTable::routeTableId).orElse("no route table") + ")";
      if (out.isPresent() && out.get().gatewayId() != null && out.get().gatewayId().startsWith("igw-")) {
        viaIgw.add(where);
      } else {
        without.add(where);
      }
    }
    if (without.isEmpty() && viaIgw.isEmpty()) {
      return Finding.pass(ID, "every function subnet routes 0.0.0.0/0 to a NAT gateway: Secrets Manager is reachable");
    }
    String fix = "either " + Parameters.set("CreateSecretsManagerEndpoint", "true", context.env())
        + " (the stack creates the endpoint, no NAT), or " + Parameters.set("CreateNatGateway", "true", context.env())
        + " (with NatPublicSubnetId), or " + Parameters.set("RedisAuthMode", "iam", context.env())
        + " (no AWS call at init)";
    List<String> problems = new ArrayList<>();
    if (!without.isEmpty()) {
      problems.add("no route to a NAT gateway from " + String.join(", ", without));
    }
    if (!viaIgw.isEmpty()) {
      problems.add("only an internet gateway route (Lambda network interfaces have no public IP) from "
          + String.join(", ", viaIgw));
    }
    return Finding.fail(ID, "RedisAuthMode=secret and CreateNatGateway=false, but there is no Secrets Manager"
        + " endpoint in " + vpc + " and " + String.join("; ", problems) + ": every function fails at init reading"
        + " the AUTH token", fix);
  }

  private Optional<VpcEndpoint> secretsManagerEndpoint(String vpc) {
    String service = "com.amazonaws." + context.region() + ".secretsmanager";
    return ec2.describeVpcEndpoints(r -> r.filters(
            Filter.builder().name("vpc-id").values(vpc).build(),
            Filter.builder().name("service-name").values(service).build()))
        .vpcEndpoints().stream()
        .filter(e -> service.equals(e.serviceName()) && vpc.equals(e.vpcId()))
        .filter(e -> e.stateAsString() == null || !e.stateAsString().matches("(?i)deleted|deleting|failed|rejected"))
        .findFirst();
  }

  private Optional<RouteTable> mainTable(String vpc) {
    return ec2.describeRouteTables(r -> r.filters(Filter.builder().name("vpc-id").values(vpc).build(),
            Filter.builder().name("association.main").values("true").build()))
        .routeTables().stream().findFirst();
  }

  private static Optional<Route> defaultRoute(RouteTable table) {
    return table.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()))
        .filter(r -> !"blackhole".equals(r.stateAsString())).findFirst();
  }
}
