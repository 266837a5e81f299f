package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Unit;

/**
 * What one check consumes: requests from every requests limit, model tokens from every tokens limit.
 * Validated by the limiter (not here) so that a bad cost becomes an {@link InvalidRequestException}.
 */
public record RequestCost(long requests, long tokens) {
  /** Most requests one check may consume. */
  public static final long MAX_REQUESTS = 1_000;
  /** Most tokens one check may consume: far beyond any model's context window. */
  public static final long MAX_TOKENS = 10_000_000;

  /** One request, no token estimate: the cost of {@code checkCreatorRateLimit}. */
  public static RequestCost oneRequest() {
    return new RequestCost(1, 0);
  }

  /** One request expected to spend {@code tokens} model tokens. */
  public static RequestCost requestWithTokens(long tokens) {
    return new RequestCost(1, tokens);
  }

  /** What this cost takes from a limit counted in {@code unit}: nothing from money or concurrency limits. */
  public long units(Unit unit) {
    return switch (unit) {
      case REQUESTS -> requests;
      case TOKENS -> tokens;
      case USD, CONCURRENT -> 0;
    };
  }
}
