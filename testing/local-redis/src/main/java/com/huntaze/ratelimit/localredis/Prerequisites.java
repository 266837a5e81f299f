package com.huntaze.ratelimit.localredis;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a tool the machine may lack: on a user's machine it is skipped with a message
 * saying what to install; in CI (environment variable CI=true) the tool is required and the test fails.
 */
public final class Prerequisites {
  private Prerequisites() {
  }

  public static void require(boolean available, String whatToInstall) {
    if (available) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI requires it: " + whatToInstall);
    }
    System.err.println("SKIPPED: " + whatToInstall);
    Assumptions.abort(whatToInstall);
  }

  /** Whether this machine can run the TLS tests: a redis-server built with TLS, and openssl for the CA. */
  public static boolean tlsAvailable() {
    return RedisBinary.find().supportsTls() && TlsMaterial.opensslAvailable();
  }

  /** TLS tests need a redis-server built with TLS and the openssl command. */
  public static void requireTls() {
    require(RedisBinary.find().supportsTls(), "TLS tests need a redis-server built with TLS on PATH"
        + " (apt-get install redis-server); found " + RedisBinary.find());
    require(TlsMaterial.opensslAvailable(), "TLS tests need the openssl command to make a test CA");
  }
}
