package com.huntaze.ratelimit.localrunner.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Redis named by URL, {@code redis://[user:password@]host[:port][?cluster=true]} or {@code rediss://}
 * for TLS, with a local server's defaults: port 6379, TLS only for rediss, no auth without a password,
 * cluster mode off. Neither {@link #toString()} nor an error message ever shows the password.
 */
public final class RedisUrl {
  static final int DEFAULT_PORT = 6379;
  private static final String FORM = "--redis-url looks like redis://[user:password@]host:port (rediss:// for TLS,"
      + " ?cluster=true for cluster mode)";

  private final String host;
  private final int port;
  private final boolean tls;
  private final boolean cluster;
  private final Optional<String> user;
  private final Optional<String> password;

  private RedisUrl(String host, int port, boolean tls, boolean cluster, Optional<String> user,
      Optional<String> password) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.cluster = cluster;
    this.user = user;
    this.password = password;
  }

  /** @throws IllegalArgumentException with a message for the user (without the URL: it may hold a password) */
  public static RedisUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(FORM + "; a password with / ? # @ % or : needs percent-encoding");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(FORM + "; it must start with redis:// or rediss://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(FORM + "; it names no host (a host name holds letters, digits, - and .)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
      throw new IllegalArgumentException("--redis-url: only database 0 can be used (the limiter's keys live there)");
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] userInfo = uri.getRawUserInfo().split(":", 2);
      if (userInfo.length < 2) {
        throw new IllegalArgumentException("--redis-url names a user but no password: write"
            + " redis://user:password@host:port, or redis://:password@host:port for the default user");
      }
      user = Optional.of(Percent.decode(userInfo[0])).filter(name -> !name.isEmpty());
      password = Optional.of(Percent.decode(userInfo[1])).filter(secret -> !secret.isEmpty());
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    return new RedisUrl(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), scheme.equals("rediss"),
        cluster(uri.getRawQuery()), user, password);
  }

  private static boolean cluster(String query) {
    boolean cluster = false;
    for (String option : query == null ? new String[0] : query.split("&")) {
      switch (option) {
        case "cluster=true", "cluster" -> cluster = true;
        case "cluster=false", "" -> cluster = false;
        default -> throw new IllegalArgumentException("--redis-url knows one option, ?cluster=true (cluster mode);"
            + " set other REDIS_* variables with --env-vars");
      }
    }
    return cluster;
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

  public boolean cluster() {
    return cluster;
  }

  public Optional<String> user() {
    return user;
  }

  Optional<String> password() {
    return password;
  }

  /**
   * The functions' REDIS_* settings for this URL, except REDIS_PASSWORD_FILE: a password is never put in
   * the environment, the run writes it to a file only its user can read.
   */
  Map<String, String> variables() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("REDIS_HOST", host);
    variables.put("REDIS_PORT", Integer.toString(port));
    variables.put("REDIS_TLS", Boolean.toString(tls));
    variables.put("REDIS_CLUSTER_MODE", Boolean.toString(cluster));
    variables.put("REDIS_AUTH_MODE", password.isPresent() ? "password" : "none");
    user.ifPresent(name -> variables.put("REDIS_USER", name));
    return variables;
  }

  /** What the run says about this Redis: TLS, auth and cluster mode as chosen. */
  String summary() {
    return (tls ? "TLS on" : "TLS off")
        + ", " + (password.isPresent() ? "auth: password" + user.map(name -> " of user " + name).orElse("")
            + " (from a file only you can read)" : "auth: none")
        + ", cluster mode " + (cluster ? "on" : "off");
  }

  /** The URL with the password masked. */
  @Override
  public String toString() {
    String userInfo = password.isPresent() ? user.orElse("") + ":****@" : "";
    String shownHost = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "rediss://" : "redis://") + userInfo + shownHost + ":" + port + (cluster ? "?cluster=true" : "");
  }
}
