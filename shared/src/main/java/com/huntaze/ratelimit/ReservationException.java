package com.huntaze.ratelimit;

/** A settle or release whose request id names no reservation this creator and plan can settle. */
public final class ReservationException extends InvalidRequestException {
  /** Why the request id was refused. */
  public enum Reason {
    /** No check with this request id was allowed for this creator, or its record has expired. */
    UNKNOWN,
    /** The reservation outlived its lifetime: it stays charged at its estimate. */
    EXPIRED,
    /** The request id was reserved on another plan of this creator. */
    OTHER_PLAN
  }

  private final Reason reason;

  ReservationException(Reason reason, String message) {
    super("requestId", message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
