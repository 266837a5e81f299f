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
}
