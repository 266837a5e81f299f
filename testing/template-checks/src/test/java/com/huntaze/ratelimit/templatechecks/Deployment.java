package com.huntaze.ratelimit.templatechecks;

import java.util.LinkedHashMap;
import java.util.Map;

/** A named set of parameter values for template.yaml, as `sam deploy --parameter-overrides` passes them. */
record Deployment(String name, Map<String, String> parameters) {
  /** The parameters without a default. */
  static Map<String, String> required() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("VpcId", "vpc-0a1b2c3d4e5f60718");
    p.put("FunctionSubnetIds", "subnet-0aaa1111aaaa1111a,subnet-0bbb2222bbbb2222b");
    p.put("NatPublicSubnetId", "subnet-0ccc3333cccc3333c");
    p.put("CacheEndpoint", "master.huntaze-redis.abc123.use1.cache.amazonaws.com");
    p.put("CacheSecurityGroupId", "sg-0ddd4444dddd4444d");
    return p;
  }

  /** Defaults: AUTH token from Secrets Manager, a NAT gateway, TLS, no alarm topic. */
  static Deployment secretAuthWithNat() {
    Map<String, String> p = required();
    p.put("RedisAuthSecretName", "ai-rate-limiter/dev/redis-auth");
    return new Deployment("RedisAuthMode=secret, CreateNatGateway=true", p);
  }

  /** AUTH token from Secrets Manager through the stack's interface endpoint, no NAT gateway. */
  static Deployment secretAuthWithEndpoint() {
    Map<String, String> p = required();
    p.put("RedisAuthSecretName", "ai-rate-limiter/prod/redis-auth");
    p.put("CreateNatGateway", "false");
    p.put("CreateSecretsManagerEndpoint", "true");
    return new Deployment("RedisAuthMode=secret, CreateNatGateway=false, CreateSecretsManagerEndpoint=true", p);
  }

  /** ElastiCache IAM authentication, the subnets already route out, an alarm topic. */
  static Deployment iamAuthWithoutNat() {
    Map<String, String> p = required();
    p.put("RedisAuthMode", "iam");
    p.put("RedisUser", "rate-limiter");
    p.put("CacheName", "huntaze-redis");
    p.put("CreateNatGateway", "false");
    p.put("AlarmTopicArn", "arn:aws:sns:us-east-1:123456789012:ai-rate-limiter-alarms");
    return new Deployment("RedisAuthMode=iam, CreateNatGateway=false", p);
  }

  /** No auth, no TLS, cluster mode, an inline plan document, fail-open. */
  static Deployment noAuthClusterMode() {
    Map<String, String> p = required();
    p.put("RedisAuthMode", "none");
    p.put("RedisTls", "false");
    p.put("RedisClusterMode", "true");
    p.put("CachePort", "6380");
    p.put("OnRedisFailure", "fail-open");
    p.put("PlanDocument", "{\"plans\":{\"free\":{\"limits\":[{\"name\":\"requests\",\"unit\":\"requests\","
        + "\"limit\":100,\"window\":\"1h\",\"algorithm\":\"sliding-window\"}]}}}");
    return new Deployment("RedisAuthMode=none, cluster mode, inline plans", p);
  }

  CfnTemplate template() {
    return SamTranslator.projectTemplate(parameters);
  }

  @Override
  public String toString() {
    return name;
  }
}
