package com.huntaze.ratelimit.jedis;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a connection authenticates: not at all, with a fixed password from a file, with the password of an AWS
 * Secrets Manager secret (read again after a rotation), or with a fresh ElastiCache IAM token per connection.
 * No variant's {@code toString} shows a password or a token.
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

  /** A fixed password (AUTH token or RBAC password) read once from a file; {@code username} null: the default user. */
  record Password(String username, String password) implements RedisCredentials {
    public Password {
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String authMode() {
      return "password";
    }

    @Override
    public Optional<String> user() {
      return Optional.ofNullable(username);
    }

    @Override
    public String toString() {
      return "Password{auth=password" + user().map(u -> ", user=" + u).orElse("") + "}";
    }
  }

  /**
   * The user and password held by an AWS Secrets Manager secret: read at init, and read again when Redis refuses
   * them, so that a rotated secret is used without a redeploy ({@link RenewableLogin}).
   */
  record Secret(RenewableLogin login) implements RedisCredentials {
    public Secret {
      Objects.requireNonNull(login, "login");
    }

    @Override
    public String authMode() {
      return "secret";
    }

    /** The user of the login in use now (a rotation may change it, with a JSON secret). */
    @Override
    public Optional<String> user() {
      return Optional.ofNullable(login.current().user());
    }

    @Override
    public String toString() {
      return "Secret{auth=secret" + user().map(u -> ", user=" + u).orElse("") + "}";
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
