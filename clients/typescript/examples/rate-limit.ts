// lib/ai/rate-limit.ts of the web app during the move off @upstash/ratelimit: the same
// checkCreatorRateLimit(creatorId, tier) in three modes, chosen by one flag (RATE_LIMITER).
//   upstash: the old limiter alone (the way back, in minutes)
//   dual:    the old limiter decides; this one, deployed with EnforceLimits=false, is asked too and
//            every disagreement is reported (compare, then cut over)
//   aws:     this limiter decides
// The web app imports from "@huntaze/ai-rate-limiter-client"; this copy is compiled and tested in the package.
import type { RateLimitClient, UpstashStyleResult } from "../src/index.js";

export type LimiterMode = "upstash" | "dual" | "aws";

/** What `new Ratelimit({...}).limit(id)` of @upstash/ratelimit answers (the fields the app reads). */
export interface UpstashLimiter {
  limit(identifier: string): Promise<{ success: boolean; limit: number; remaining: number; reset: number }>;
}

export interface Disagreement {
  creatorId: string;
  tier: string;
  upstashAllowed: boolean;
  awsAllowed: boolean;
  /** the limit that denied (or would have denied) on this side */
  deniedBy?: string;
}

export function limiterMode(value: string | undefined): LimiterMode {
  return value === "upstash" || value === "dual" ? value : "aws";
}

/**
 * Whether this limiter would have allowed the check: with EnforceLimits=false every answer is allowed,
 * and a would-be denial says `enforced: false` with its `deniedBy`.
 */
export function awsWouldAllow(result: UpstashStyleResult): boolean {
  return result.success && !(result.decision.enforced === false && result.decision.deniedBy);
}

export function rateLimitFor(mode: LimiterMode, aws: RateLimitClient, upstash: (tier: string) => UpstashLimiter,
  report: (disagreement: Disagreement) => void = (d) => console.warn(JSON.stringify({ event: "rate-limit-disagreement", ...d }))) {
  return async function checkCreatorRateLimit(creatorId: string, tier: string) {
    if (mode === "upstash") {
      return upstash(tier).limit(creatorId);
    }
    if (mode === "aws") {
      return aws.checkCreatorRateLimit(creatorId, tier);
    }
    const [old, ours] = await Promise.all([upstash(tier).limit(creatorId),
      aws.checkCreatorRateLimit(creatorId, tier).catch(() => undefined)]);   // a dual run never fails on our side
    if (ours && awsWouldAllow(ours) !== old.success) {
      const disagreement: Disagreement = { creatorId, tier, upstashAllowed: old.success, awsAllowed: awsWouldAllow(ours) };
      if (ours.decision.deniedBy) disagreement.deniedBy = ours.decision.deniedBy;
      report(disagreement);
    }
    return old;
  };
}
