package com.huntaze.ratelimit;

import java.util.Set;

/** The plan name is not in the plan document (its input field is {@code tier}, as in the HTTP API). */
public final class UnknownPlanException extends InvalidRequestException {
  /** Longer names are cut in the message: a caller's typo is recognisable, a megabyte of input is not echoed. */
  static final int SHOWN_NAME_LENGTH = 64;

  public UnknownPlanException(String plan, Set<String> known) {
    super("tier", "unknown plan '" + shown(plan) + "'; known plans: " + String.join(", ", known));
  }

  private static String shown(String plan) {
    return plan.length() <= SHOWN_NAME_LENGTH ? plan
        : plan.substring(0, SHOWN_NAME_LENGTH) + "... (" + plan.length() + " characters)";
  }
}
