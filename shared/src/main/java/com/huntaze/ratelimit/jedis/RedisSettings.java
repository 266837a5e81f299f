package com.huntaze.ratelimit.jedis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Redis, immutable. {@link #of} gives the documented defaults: TLS on with host name
 * verification and the JVM's trust store, no auth, standalone, connect timeout 1 s, socket timeout
 * 500 ms, a pool of at most 2 connections, per node in cluster mode (REDIS_POOL_SIZE; a Lambda execution environment
 * serves one request at a time).
 *
 * @param tlsCaFile PEM bundle of CAs to trust instead of the JVM's trust store
 */
public record RedisSettings(String host, int port, boolean tls, Optional<Path> tlsCaFile, boolean verifyHostname,
    RedisCredentials credentials, boolean clusterMode, Duration connectTimeout, Duration socketTimeout,
    int poolSize) {
  public static final int DEFAULT_PORT = 6379;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(1000);
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofMillis(500);
  public static final int DEFAULT_POOL_SIZE = 2;

  public RedisSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tlsCaFile, "tlsCaFile");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    if (port < 1 || port > 65_535 || poolSize < 1) {
      throw new IllegalArgumentException("port must be 1 to 65535 and the pool at least 1 connection");
    }
  }

  /** The defaults, for this endpoint. */
  public static RedisSettings of(String host, int port) {
    return new RedisSettings(host, port, true, Optional.empty(), true, RedisCredentials.none(), false,
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, DEFAULT_POOL_SIZE);
  }

  /** The defaults without TLS: local servers and tests. */
  public static RedisSettings plainText(String host, int port) {
    return of(host, port).withTls(false);
  }

  public RedisSettings withTls(boolean on) {
    return new RedisSettings(host, port, on, tlsCaFile, verifyHostname, credentials, clusterMode, connectTimeout,
        socketTimeout, poolSize);
  }

  public RedisSettings withTlsCaFile(Path caFile) {
    return new RedisSettings(host, port, tls, Optional.of(caFile), verifyHostname, credentials, clusterMode,
        connectTimeout, socketTimeout, poolSize);
  }

  public RedisSettings withVerifyHostname(boolean verify) {
    return new RedisSettings(host, port, tls, tlsCaFile, verify, credentials, clusterMode, connectTimeout,
        socketTimeout, poolSize);
  }

  public RedisSettings withCredentials(RedisCredentials with) {
    return new RedisSettings(host, port, tls, tlsCaFile, verifyHostname, with, clusterMode, connectTimeout,
        socketTimeout, poolSize);
  }

  public RedisSettings withClusterMode(boolean on) {
    return new RedisSettings(host, port, tls, tlsCaFile, verifyHostname, credentials, on, connectTimeout,
        socketTimeout, poolSize);
  }

  public RedisSettings withTimeouts(Duration connect, Duration socket) {
    return new RedisSettings(host, port, tls, tlsCaFile, verifyHostname, credentials, clusterMode, connect, socket,
        poolSize);
  }

  public RedisSettings withPoolSize(int size) {
    return new RedisSettings(host, port, tls, tlsCaFile, verifyHostname, credentials, clusterMode, connectTimeout,
        socketTimeout, size);
  }

  /** none, password, secret or iam: what may be shown instead of the password. */
  public String authMode() {
    return credentials.authMode();
  }

  /** The ACL / RBAC user; empty means the default user. */
  public Optional<String> user() {
    return credentials.user();
  }

  @Override
  public String toString() {
    return "RedisSettings{host=" + host + ", port=" + port + ", tls=" + tls + ", verifyHostname=" + verifyHostname
        + ", auth=" + authMode() + user().map(u -> " as " + u).orElse("") + ", clusterMode=" + clusterMode
        + ", connectTimeout=" + connectTimeout.toMillis() + "ms, socketTimeout=" + socketTimeout.toMillis()
        + "ms, poolSize=" + poolSize + "}";
  }
}
