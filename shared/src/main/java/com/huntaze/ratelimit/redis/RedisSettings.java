package com.huntaze.ratelimit.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How to reach Redis, immutable. Defaults: port 6379, TLS on with host name verification, no auth,
 * standalone, connect timeout 1 s, socket timeout 500 ms, 2 pooled connections (a Lambda execution
 * environment serves one request at a time). {@link #toString()} never shows the password.
 *
 * <p>Auth is one of: none; a fixed password (auth mode "password", or "secret" when it was read from AWS
 * Secrets Manager); or a password supplier asked for each new connection (auth mode "iam": short-lived
 * ElastiCache IAM auth tokens).
 */
public final class RedisSettings {
  public static final int DEFAULT_PORT = 6379;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(1000);
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofMillis(500);
  public static final int DEFAULT_POOL_SIZE = 2;

  private final String host;
  private final int port;
  private final boolean tls;
  private final Path tlsCaFile;
  private final boolean verifyHostname;
  private final String user;
  private final String password;
  private final Supplier<String> passwordSupplier;
  private final String authMode;
  private final boolean clusterMode;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final int poolSize;

  private RedisSettings(Builder b) {
    this.host = Objects.requireNonNull(b.host, "host");
    this.port = b.port;
    this.tls = b.tls;
    this.tlsCaFile = b.tlsCaFile;
    this.verifyHostname = b.verifyHostname;
    this.user = b.user;
    this.password = b.password;
    this.passwordSupplier = b.passwordSupplier;
    this.authMode = b.authMode;
    this.clusterMode = b.clusterMode;
    this.connectTimeout = b.connectTimeout;
    this.socketTimeout = b.socketTimeout;
    this.poolSize = b.poolSize;
  }

  public static Builder builder(String host) {
    return new Builder(host);
  }

  public Builder toBuilder() {
    Builder b = new Builder(host).port(port).tls(tls).verifyHostname(verifyHostname).clusterMode(clusterMode)
        .connectTimeout(connectTimeout).socketTimeout(socketTimeout).poolSize(poolSize);
    b.tlsCaFile = tlsCaFile;
    b.user = user;
    b.password = password;
    b.passwordSupplier = passwordSupplier;
    b.authMode = authMode;
    return b;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean tls() {
    return tls;
  }

  /** PEM bundle of CAs to trust instead of the JVM's default trust store. */
  public Optional<Path> tlsCaFile() {
    return Optional.ofNullable(tlsCaFile);
  }

  public boolean verifyHostname() {
    return verifyHostname;
  }

  /** ACL user name; empty means the default user. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** Fixed password (AUTH token); empty with no authentication or with a {@link #passwordSupplier()}. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** Gives the password of each new connection (IAM auth tokens); empty with a fixed password or none. */
  public Optional<Supplier<String>> passwordSupplier() {
    return Optional.ofNullable(passwordSupplier);
  }

  /** "none", "password", "secret" or "iam": what the connection test may show instead of the password. */
  public String authMode() {
    return authMode;
  }

  public boolean clusterMode() {
    return clusterMode;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration socketTimeout() {
    return socketTimeout;
  }

  public int poolSize() {
    return poolSize;
  }

  @Override
  public String toString() {
    return "RedisSettings{host=" + host + ", port=" + port + ", tls=" + tls + ", verifyHostname=" + verifyHostname
        + ", auth=" + authMode() + user().map(u -> " as " + u).orElse("") + ", clusterMode=" + clusterMode
        + ", connectTimeout=" + connectTimeout.toMillis() + "ms, socketTimeout=" + socketTimeout.toMillis()
        + "ms, poolSize=" + poolSize + "}";
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private final String host;
    private int port = DEFAULT_PORT;
    private boolean tls = true;
    private Path tlsCaFile;
    private boolean verifyHostname = true;
    private String user;
    private String password;
    private Supplier<String> passwordSupplier;
    private String authMode = "none";
    private boolean clusterMode;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
    private int poolSize = DEFAULT_POOL_SIZE;

    private Builder(String host) {
      this.host = host;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    public Builder tlsCaFile(Path caFile) {
      this.tlsCaFile = caFile;
      return this;
    }

    public Builder verifyHostname(boolean verify) {
      this.verifyHostname = verify;
      return this;
    }

    /** Authenticate as {@code user} (null: the default user) with {@code password}. */
    public Builder credentials(String user, String password) {
      return fixedPassword(user, password, "password");
    }

    /** As {@link #credentials}, for a password read from AWS Secrets Manager: auth mode "secret". */
    public Builder secretCredentials(String user, String password) {
      return fixedPassword(user, password, "secret");
    }

    /**
     * Authenticate every new connection as {@code user} with a password from {@code passwordSupplier}, asked
     * once per connection (ElastiCache IAM auth tokens expire after 15 minutes): auth mode "iam".
     */
    public Builder iamCredentials(String user, Supplier<String> passwordSupplier) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = null;
      this.passwordSupplier = Objects.requireNonNull(passwordSupplier, "passwordSupplier");
      this.authMode = "iam";
      return this;
    }

    private Builder fixedPassword(String user, String password, String authMode) {
      this.user = user;
      this.password = Objects.requireNonNull(password, "password");
      this.passwordSupplier = null;
      this.authMode = authMode;
      return this;
    }

    public Builder clusterMode(boolean clusterMode) {
      this.clusterMode = clusterMode;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = timeout;
      return this;
    }

    public Builder poolSize(int size) {
      this.poolSize = size;
      return this;
    }

    public RedisSettings build() {
      return new RedisSettings(this);
    }
  }
}
