package com.huntaze.ratelimit.plan;

/** The plan document is unusable; the message names the plan, the limit and the field at fault. */
public final class PlanDocumentException extends RuntimeException {
  public PlanDocumentException(String message) {
    super(message);
  }

  public PlanDocumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
