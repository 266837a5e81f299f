package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.jedis.RedisSettings;

/** What a person should check after a failed connection test, by kind of failure. */
final class Hints {
  static final String CLUSTER_MODE_ON_STANDALONE_SERVER = "cluster support disabled";
  static final String STANDALONE_CLIENT_ON_CLUSTER = "runs in cluster mode";

  private Hints() {
  }

  /** {@code settings} is null when the configuration itself could not be read. */
  static String forFailure(ErrorKind kind, String message, RedisSettings settings) {
    String text = message == null ? "" : message;
    // Cluster mode set on one side only shows up as other kinds of failure: say so first.
    if (text.contains(CLUSTER_MODE_ON_STANDALONE_SERVER)) {
      return "The server runs with cluster mode disabled: set REDIS_CLUSTER_MODE=false (template parameter"
          + " RedisClusterMode) and point REDIS_HOST at the primary endpoint.";
    }
    if (text.contains(STANDALONE_CLIENT_ON_CLUSTER) || text.startsWith("MOVED") || text.startsWith("CROSSSLOT")) {
      return "The server runs in cluster mode: set REDIS_CLUSTER_MODE=true (template parameter RedisClusterMode)"
          + " and point REDIS_HOST at the configuration endpoint.";
    }
    return switch (kind) {
      case TIMEOUT, CONNECTION -> network(kind, settings);
      case AUTH -> "Check the auth mode, the user and the secret: REDIS_AUTH_MODE (none, password, secret or iam)"
          + " must match the cache (AUTH token or RBAC user group), REDIS_USER the ACL user (empty: the default"
          + " user), and the secret (REDIS_AUTH_SECRET_ID in Secrets Manager, or REDIS_PASSWORD_FILE) the current"
          + " token or password; with iam, the function role needs elasticache:Connect on the cache and the user,"
          + " and REDIS_IAM_CACHE_NAME must name the cache. WRONGPASS means a wrong user or"
          + " password, NOAUTH that the cache wants a password and none was sent, NOPERM that the user may not"
          + " run a command or touch the key prefix (the connection test needs PING, INFO, CLUSTER, SET, GET,"
          + " DEL, EVAL and TIME on keys under the prefix).";
      case TLS -> "Check REDIS_TLS (template parameter RedisTls) against the cache's in-transit encryption (on:"
          + " REDIS_TLS=true, off: REDIS_TLS=false), that the CA bundle (REDIS_TLS_CA_FILE, or the JVM's trust"
          + " store when unset) trusts the server certificate, and that the certificate's host name matches"
          + " REDIS_HOST (use the ElastiCache endpoint name, not an IP address; REDIS_TLS_VERIFY_HOSTNAME=false only"
          + " for tests).";
      case REDIS_ERROR -> "Redis answered with an error: check the cache's state in the ElastiCache console (events,"
          + " failover, memory and maxmemory policy) and that the endpoint is the primary (READONLY means a"
          + " replica).";
      case CONFIGURATION -> "Fix the setting named in the message: the function's environment variables, set by"
          + " the template.yaml parameters; redeploy, then test again.";
      case TLS_ON_PLAIN_TEXT_PORT -> "Check RedisTls: the function speaks TLS (REDIS_TLS=true) but the cache's port"
          + " answers in plain text, so the cache has in-transit encryption off. Deploy with the template parameter"
          + " RedisTls=false (REDIS_TLS=false), or turn in-transit encryption on for the cache (REDIS_AUTH_MODE=iam"
          + " needs it on). Not a security group problem: the port answered.";
      case PLAIN_TEXT_ON_TLS_PORT -> "Check RedisTls: the cache's port speaks TLS (in-transit encryption on) but the"
          + " function sends plain text (REDIS_TLS=false). Deploy with the template parameter RedisTls=true"
          + " (REDIS_TLS=true). Not a security group problem: the port answered.";
    };
  }

  private static String network(ErrorKind kind, RedisSettings settings) {
    String port = settings == null ? "the cache port" : "TCP port " + settings.port();
    StringBuilder hint = new StringBuilder()
        .append(kind == ErrorKind.TIMEOUT ? "No answer in time. " : "Could not connect. ")
        .append("Check the security group rules: the function's security group must allow egress to ")
        .append(port).append(", and the cache's security group must allow ingress on ").append(port)
        .append(" from the function's security group. Check that the function's subnets route to the cache")
        .append(" (same VPC, route tables, network ACLs) and that REDIS_HOST / REDIS_PORT name the cache's")
        .append(" endpoint.");
    if (settings != null && !settings.tls()) {
      hint.append(" If the cache has in-transit encryption on, set REDIS_TLS=true (template parameter RedisTls): a")
          .append(" TLS port does not answer a plain-text client.");
    }
    if (kind == ErrorKind.TIMEOUT && settings != null) {
      hint.append(" Timeouts now: connect ").append(settings.connectTimeout().toMillis()).append(" ms, socket ")
          .append(settings.socketTimeout().toMillis())
          .append(" ms (REDIS_CONNECT_TIMEOUT_MS, REDIS_SOCKET_TIMEOUT_MS).");
    }
    return hint.toString();
  }
}
