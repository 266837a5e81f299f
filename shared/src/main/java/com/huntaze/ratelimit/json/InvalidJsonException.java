package com.huntaze.ratelimit.json;

/** Text that is not strict JSON; the message is our own sentence with the line and column. */
public final class InvalidJsonException extends IllegalArgumentException {
  private final boolean duplicateName;

  InvalidJsonException(String message, boolean duplicateName) {
    super(message, null);
    this.duplicateName = duplicateName;
  }

  /** True when the text is JSON but repeats a name inside one object. */
  public boolean duplicateName() {
    return duplicateName;
  }
}
