package com.huntaze.ratelimit;

import java.util.Set;

/** The tier names no plan of the plan document. */
public final class UnknownPlanException extends InvalidRequestException {
  public UnknownPlanException(String tier, Set<String> known) {
    super("tier", "unknown plan '" + tier + "'; known plans: " + String.join(", ", known));
  }
}
