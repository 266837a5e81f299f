package com.huntaze.ratelimit.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** samconfig's parameters against the cache: RedisTls, RedisClusterMode, RedisAuthMode, CacheEndpoint, CachePort. */
final class ParameterCheck {
  private final Context context;

  ParameterCheck(Context context) {
    this.context = context;
  }

  List<Finding> run(Optional<CacheFacts> found) {
    List<Finding> findings = new ArrayList<>();
    if (found.isEmpty()) {
      findings.add(Finding.skipped("params", "no cache found: samconfig's cache parameters not compared"));
      return findings;
    }
    CacheFacts c = found.get();
    findings.add(tls(c));
    findings.add(clusterMode(c));
    findings.add(authMode(c));
    findings.add(endpoint(c));
    findings.add(port(c));
    return findings;
  }

  private String set(String name, String value) {
    return Parameters.set(name, value, context.env());
  }

  private Finding tls(CacheFacts c) {
    boolean wanted = context.parameters().flag("RedisTls");
    if (c.transitEncryption().isEmpty()) {
      return Finding.unknown("params.tls", "RedisTls=" + wanted + "; the cache's TransitEncryptionEnabled is unknown", "");
    }
    boolean has = c.transitEncryption().get();
    if (wanted == has) {
      return Finding.pass("params.tls", "RedisTls=" + wanted + " matches the cache");
    }
    return wanted
        ? Finding.fail("params.tls", "RedisTls=true but " + c.id() + " has no in-transit encryption: the TLS handshake"
            + " meets a plain-text port and every call answers 503", set("RedisTls", "false")
            + ", or enable TLS on the cache (see cache.tls)")
        : Finding.fail("params.tls", "RedisTls=false but " + c.id() + " requires TLS: the plain-text connection is"
            + " dropped and every call answers 503", set("RedisTls", "true"));
  }

  private Finding clusterMode(CacheFacts c) {
    boolean wanted = context.parameters().flag("RedisClusterMode");
    if (c.clusterEnabled().isEmpty()) {
      return Finding.unknown("params.cluster-mode", "RedisClusterMode=" + wanted + "; the cache's mode is unknown", "");
    }
    if (wanted == c.clusterEnabled().get()) {
      return Finding.pass("params.cluster-mode", "RedisClusterMode=" + wanted + " matches the cache");
    }
    return Finding.fail("params.cluster-mode", "RedisClusterMode=" + wanted + " but the cache has cluster mode "
        + (c.clusterEnabled().get() ? "enabled (a standalone client gets MOVED replies)"
        : "disabled (a cluster client finds no CLUSTER SLOTS)"), set("RedisClusterMode", String.valueOf(c.clusterEnabled().get())));
  }

  private Finding authMode(CacheFacts c) {
    String mode = context.parameters().authMode();
    boolean token = c.authTokenEnabled().orElse(false);
    boolean rbac = !c.userGroupIds().isEmpty();
    if (c.authTokenEnabled().isEmpty() && !rbac) {
      return Finding.unknown("params.auth-mode", "RedisAuthMode=" + mode + "; the cache's AUTH settings are unknown", "");
    }
    String has = token ? "an AUTH token" : rbac ? "RBAC user groups " + c.userGroupIds() : "no authentication";
    switch (mode) {
      case "none":
        return token || rbac
            ? Finding.fail("params.auth-mode", "RedisAuthMode=none but the cache has " + has + ": every command"
                + " answers NOAUTH", set("RedisAuthMode", "secret") + " and RedisAuthSecretName (or iam with RBAC)")
            : Finding.pass("params.auth-mode", "RedisAuthMode=none and the cache has no authentication");
      case "secret":
        if (!token && !rbac) {
          return Finding.fail("params.auth-mode", "RedisAuthMode=secret but the cache has no AUTH token and no user"
              + " groups: AUTH is refused (no password is set)", set("RedisAuthMode", "none")
              + ", or give the cache a token (see cache.auth)");
        }
        Optional<String> secret = context.parameters().get("RedisAuthSecretName");
        return secret.isEmpty()
            ? Finding.fail("params.auth-mode", "RedisAuthMode=secret needs RedisAuthSecretName",
                set("RedisAuthSecretName", "<secret name>"))
            : Finding.pass("params.auth-mode", "RedisAuthMode=secret with " + has + " (secret " + secret.get() + ")");
      case "iam":
        if (!rbac) {
          return Finding.fail("params.auth-mode", "RedisAuthMode=iam needs an IAM-enabled user in a user group of the"
              + " cache; it has " + has, "aws elasticache create-user --user-id <id> --user-name <id> --engine redis"
              + " --authentication-mode Type=iam --access-string 'on ~* +@all', add it to a user group, then"
              + " aws elasticache modify-replication-group --replication-group-id " + c.id() + " --user-group-ids-to-add <group>");
        }
        Optional<String> cacheName = context.parameters().get("CacheName");
        return cacheName.isPresent() && !cacheName.get().equals(c.id())
            ? Finding.fail("params.auth-mode", "CacheName is " + cacheName.get() + " but the cache is " + c.id()
                + ": the IAM token is signed for another cache", set("CacheName", c.id()))
            : Finding.pass("params.auth-mode", "RedisAuthMode=iam with " + has);
      default:
        return Finding.fail("params.auth-mode", "RedisAuthMode=" + mode + " is not none, secret or iam",
            set("RedisAuthMode", "secret"));
    }
  }

  private Finding endpoint(CacheFacts c) {
    Optional<String> configured = context.parameters().get("CacheEndpoint");
    boolean cluster = c.clusterEnabled().orElse(false);
    Optional<String> right = cluster ? c.configurationEndpoint() : c.primaryEndpoint();
    String kind = cluster ? "configuration endpoint" : "primary endpoint";
    if (right.isEmpty()) {
      return Finding.unknown("params.endpoint", "the cache's " + kind + " was not reported", "");
    }
    if (configured.isEmpty()) {
      return Finding.fail("params.endpoint", "CacheEndpoint is not set (or a placeholder)", set("CacheEndpoint", right.get()));
    }
    if (configured.get().equalsIgnoreCase(right.get())) {
      return Finding.pass("params.endpoint", "CacheEndpoint is the cache's " + kind);
    }
    String what = c.readerEndpoint().filter(configured.get()::equalsIgnoreCase).isPresent()
        ? "the reader endpoint: writes answer READONLY"
        : c.nodeEndpoints().stream().anyMatch(configured.get()::equalsIgnoreCase)
            ? "one node's endpoint: it stops being the primary after a failover"
            : "not an endpoint of " + c.id();
    return Finding.fail("params.endpoint", "CacheEndpoint " + configured.get() + " is " + what, set("CacheEndpoint", right.get()));
  }

  private Finding port(CacheFacts c) {
    int wanted = context.parameters().port();
    if (c.port().isEmpty() || c.port().get() == wanted) {
      return Finding.pass("params.port", "CachePort=" + wanted + (c.port().isEmpty() ? " (the cache's port is unknown)" : ""));
    }
    return Finding.fail("params.port", "CachePort=" + wanted + " but the cache listens on " + c.port().get(),
        set("CachePort", String.valueOf(c.port().get())));
  }
}
