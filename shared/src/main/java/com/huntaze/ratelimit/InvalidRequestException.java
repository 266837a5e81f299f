package com.huntaze.ratelimit;

/**
 * A check, status or reset was refused before Redis was touched: bad creator id, unknown plan, bad
 * cost or request id. The message says what to change; {@link #field()} names the input at fault.
 */
public class InvalidRequestException extends IllegalArgumentException {
  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The input at fault, by its HTTP name: creatorId, tier (the plan), requests, tokens or requestId. */
  public String field() {
    return field;
  }
}
