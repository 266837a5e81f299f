package com.huntaze.ratelimit.jedis;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a connection authenticates: not at all, with a fixed password (from a file or from AWS Secrets
 * Manager), or with a fresh ElastiCache IAM token per connection. No variant's {@code toString} shows a
 * password or a token.
 */
public sealed interface RedisCredentials {
  /** What the connection test may show instead of the password: none, password, secret or iam. */
  String authMode();

  /** The ACL / RBAC user; empty means the default user. */
  Optional<String> user();

  static RedisCredentials none() {
    return new None();
  }

  /** No AUTH: a connection sends nothing before the first command. */
  record None() implements RedisCredentials {
    @Override
    public String authMode() {
      return "none";
    }

    @Override
    public Optional<String> user() {
      return Optional.empty();
    }
  }

  /** A fixed password (AUTH token or RBAC password), read once; {@code user} null means the default user. */
  record Password(String username, String password, Origin origin) implements RedisCredentials {
    /** Where the password came from, which names the auth mode. */
    public enum Origin { FILE, SECRETS_MANAGER }

    public Password {
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String authMode() {
      return origin == Origin.FILE ? "password" : "secret";
    }

    @Override
    public Optional<String> user() {
      return Optional.ofNullable(username);
    }

    @Override
    public String toString() {
      return "Password{auth=" + authMode() + user().map(u -> ", user=" + u).orElse("") + "}";
    }
  }

  /** ElastiCache IAM authentication: {@code tokens} is asked once for each new connection. */
  record Iam(String username, Supplier<String> tokens) implements RedisCredentials {
    public Iam {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public String authMode() {
      return "iam";
    }

    @Override
    public Optional<String> user() {
      return Optional.of(username);
    }

    @Override
    public String toString() {
      return "Iam{user=" + username + "}";
    }
  }
}
