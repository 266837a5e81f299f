package com.huntaze.ratelimit.plan;

/** What a check answers when Redis cannot be reached. */
public enum FailureMode {
  /** Deny (the API answers 503): never exceed a limit, at the cost of availability. */
  FAIL_CLOSED,
  /** Allow, marked degraded: keep the AI features up, at the cost of unmetered use while Redis is down. */
  FAIL_OPEN
}
