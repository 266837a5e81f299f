package com.huntaze.ratelimit.doctor;

/** A finding's verdict. Only {@link #FAIL} makes the doctor exit non-zero. */
public enum Status {
  PASS, WARN, FAIL,
  /** The account (or the emulator) did not say: the doctor could not decide, and says what it lacked. */
  UNKNOWN,
  /** Not run: not applicable to this configuration, or not implemented yet (the message says which). */
  SKIPPED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
