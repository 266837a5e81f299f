package com.huntaze.ratelimit.doctor;

import java.util.Objects;

/**
 * One check's result: a stable id ({@code cache.tls}, {@code subnets.vpc}, ...), its verdict, what it
 * means, and the exact fix (a template parameter or an aws CLI command); {@code fix} is empty when there is
 * nothing to do.
 */
public record Finding(String id, Status status, String message, String fix) {
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    fix = fix == null ? "" : fix;
  }

  public static Finding pass(String id, String message) {
    return new Finding(id, Status.PASS, message, "");
  }

  public static Finding warn(String id, String message, String fix) {
    return new Finding(id, Status.WARN, message, fix);
  }

  public static Finding fail(String id, String message, String fix) {
    return new Finding(id, Status.FAIL, message, fix);
  }

  public static Finding unknown(String id, String message, String fix) {
    return new Finding(id, Status.UNKNOWN, message, fix);
  }

  public static Finding skipped(String id, String message) {
    return new Finding(id, Status.SKIPPED, message, "");
  }
}
