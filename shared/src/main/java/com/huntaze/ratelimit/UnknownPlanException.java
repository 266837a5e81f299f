package com.huntaze.ratelimit;

import java.util.Set;

/** The plan name is not in the plan document (its input field is {@code tier}, as in the HTTP API). */
public final class UnknownPlanException extends InvalidRequestException {
  public UnknownPlanException(String plan, Set<String> known) {
    super("tier", "unknown plan '" + plan + "'; known plans: " + String.join(", ", known));
  }
}
