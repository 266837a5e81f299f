package com.huntaze.ratelimit.plan;

import java.util.List;
import java.util.Objects;

/** A named set of limits, such as "free" or "pro" (the HTTP API calls it a tier); a check consumes from all of them at once. */
public record Plan(String name, List<Limit> limits) {
  public Plan {
    Objects.requireNonNull(name, "name");
    limits = List.copyOf(limits);
  }
}
