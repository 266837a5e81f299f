package com.huntaze.ratelimit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A creator's override of some limits, in every plan that has them, until it expires (Redis then drops
 * it by itself). Applied inside the check script: a check stays one round trip.
 *
 * @param limits    limit name to its amount for this creator, in the limit's unit (micro-dollars for
 *                  money); a token bucket's capacity becomes the amount too
 * @param expiresAt when the override ends
 * @param reason    why it was set, as the operator wrote it
 * @param setBy     who set it (the IAM caller through the HTTP API)
 * @param setAt     when it was set
 */
public record LimitOverride(String creatorId, Map<String, Long> limits, Instant expiresAt, String reason,
    String setBy, Instant setAt) {
  public LimitOverride {
    Objects.requireNonNull(creatorId, "creatorId");
    limits = Map.copyOf(limits);
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(setBy, "setBy");
    Objects.requireNonNull(setAt, "setAt");
  }
}
