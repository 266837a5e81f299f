package com.huntaze.ratelimit.jedis;

import com.huntaze.ratelimit.redis.RedisPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/** Builds the Jedis 8 client described by {@link RedisSettings}: one per execution environment. */
public final class RedisClients {
  /** Cluster mode: attempts per command (redirects and reconnects), bounded by the time budget below. */
  static final int CLUSTER_MAX_ATTEMPTS = 3;

  private RedisClients() {
  }

  /**
   * The port the limiter uses: on a cluster, over {@link #create}'s {@code RedisClusterClient}; on one
   * server, over the same pool of connections that {@code RedisClient} would use, without it.
   */
  public static RedisPort port(RedisSettings settings) {
    RedisPort port = settings.clusterMode()
        ? new JedisRedisPort(create(settings))
        : new StandaloneRedisPort(new ConnectionPool(new HostAndPort(settings.host(), settings.port()),
            clientConfig(settings), poolConfig(settings)));
    // A refused login is renewed from the secret and tried once more (see RenewingRedisPort).
    return settings.credentials() instanceof RedisCredentials.Secret secret
        ? new RenewingRedisPort(port, secret.login())
        : port;
  }

  /** The whole Jedis client: the connection test and tools use its commands. */
  public static UnifiedJedis create(RedisSettings settings) {
    DefaultJedisClientConfig clientConfig = clientConfig(settings);
    ConnectionPoolConfig pool = poolConfig(settings);
    HostAndPort endpoint = new HostAndPort(settings.host(), settings.port());
    if (settings.clusterMode()) {
      // Build even when no node answers yet: the first commands then fail as REDIS_UNAVAILABLE (and the
      // function applies fail-open/closed) instead of the whole execution environment failing at init.
      System.setProperty(RedisClusterClient.INIT_NO_ERROR_PROPERTY, "true");
      return RedisClusterClient.builder()
          .nodes(Set.of(endpoint))
          .clientConfig(clientConfig)
          .poolConfig(pool)
          .maxAttempts(CLUSTER_MAX_ATTEMPTS)
          .maxTotalRetriesDuration(clusterRetryBudget(settings))
          .build();
    }
    return RedisClient.builder()
        .hostAndPort(endpoint)
        .clientConfig(clientConfig)
        .poolConfig(pool)
        .build();
  }

  static ConnectionPoolConfig poolConfig(RedisSettings settings) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    pool.setMinIdle(0);
    pool.setMaxWait(settings.connectTimeout());
    pool.setJmxEnabled(false);            // no MBean registration at cold start
    pool.setTestOnBorrow(false);          // a broken connection surfaces as a failed command, then is replaced
    return pool;
  }

  /** The longest a cluster command may spend on retries: one connect plus two socket timeouts. */
  static Duration clusterRetryBudget(RedisSettings settings) {
    return settings.connectTimeout().plus(settings.socketTimeout().multipliedBy(2));
  }

  static DefaultJedisClientConfig clientConfig(RedisSettings settings) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(Math.toIntExact(settings.connectTimeout().toMillis()))
        .socketTimeoutMillis(Math.toIntExact(settings.socketTimeout().toMillis()))
        .autoNegotiateProtocol(false)                        // no HELLO: RESP2 from the first byte
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED); // no CLIENT SETINFO either
    if (settings.credentials() instanceof RedisCredentials.Password fixed) {
      config.password(fixed.password());
      fixed.user().ifPresent(config::user);
    } else if (settings.credentials() instanceof RedisCredentials.Secret secret) {
      // Asked for each new connection: once the login is renewed, new connections use the rotated password.
      RenewableLogin renewable = secret.login();
      config.credentialsProvider(() -> {
        RenewableLogin.Login login = renewable.current();   // once: user and password of the same read
        return new DefaultRedisCredentials(login.user(), login.password());
      });
    } else if (settings.credentials() instanceof RedisCredentials.Iam iam) {
      // Jedis asks for credentials each time it opens a connection: each new connection gets a fresh token.
      config.credentialsProvider(() -> new DefaultRedisCredentials(iam.username(), password(iam.tokens())));
    }
    if (settings.tls()) {
      config.ssl(true);
      config.sslSocketFactory(socketFactory(settings));
      // Always explicit: Jedis verifies host names when given no parameters at all.
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm(settings.verifyHostname() ? "HTTPS" : null);
      config.sslParameters(parameters);
    }
    return config.build();
  }

  /** A password that cannot be made (no AWS credentials, say) is an auth failure of the connection. */
  private static String password(Supplier<String> passwords) {
    try {
      return passwords.get();
    } catch (RuntimeException e) {
      throw new JedisAccessControlException("cannot make the password of a new connection: " + e.getMessage(), e);
    }
  }

  private static SSLSocketFactory socketFactory(RedisSettings settings) {
    try {
      if (settings.tlsCaFile().isEmpty()) {
        return SSLContext.getDefault().getSocketFactory();
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      try (InputStream in = Files.newInputStream(settings.tlsCaFile().get())) {
        int index = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trusted.setCertificateEntry("ca-" + index++, certificate);
        }
        if (index == 0) {
          throw new IllegalArgumentException("no certificate in " + settings.tlsCaFile().get());
        }
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use TLS CA bundle " + settings.tlsCaFile().orElse(null)
          + ": " + e.getMessage(), e);
    }
  }
}
