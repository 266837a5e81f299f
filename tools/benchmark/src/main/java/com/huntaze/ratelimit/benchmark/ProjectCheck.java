package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;

/** The project's check as the functions call it: {@link RateLimiter#check} of one plan, no request id. */
final class ProjectCheck implements ThroughputBenchmark.Contender {
  private final RateLimiter limiter;
  private final String plan;
  private final RequestCost cost;

  ProjectCheck(RateLimiter limiter, String plan, RequestCost cost) {
    this.limiter = limiter;
    this.plan = plan;
    this.cost = cost;
  }

  @Override
  public String name() {
    return "project";
  }

  @Override
  public boolean check(String creatorId) {
    return limiter.check(creatorId, plan, cost, null).allowed();
  }

  /** The key holding the plan's first limit (the usage hash, for a sliding window) for this creator. */
  String usageKey(String creatorId) {
    return limiter.keysOf(creatorId, limiter.plans().plan(plan).orElseThrow().limits().get(0)).get(0);
  }

  @Override
  public void close() {
    limiter.close();
  }
}
