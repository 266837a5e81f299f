export { createRateLimitClient, type LimitsOptions, type RateLimitClient } from "./client.js";
export type { CallOptions, Credentials, CredentialsProvider, OnUnavailable, RateLimitClientOptions } from "./config.js";
export type { CheckDecision, LimitsStatus, UpstashStyleResult } from "./answers.js";
export { RateLimitApiError, RateLimitDeniedError, RateLimitUnavailableError, type Unavailability,
  type UnavailableReason } from "./errors.js";
export { ModelCall, type ModelCallEnd, type ModelCallOutcome, type ModelCallRequest, type ModelCallWork,
  type ModelUsage } from "./model-call.js";
export { parseRateLimitHeaders, parseRetryAfter, type RateLimitHeaders, type RateLimitPolicy,
  type RateLimitState } from "./rate-limit-headers.js";
export { parseList, type BareItem, type Item } from "./structured-fields.js";
export { usageFromAiSdk, usageFromAnthropic, usageFromOpenAI } from "./usage.js";
export type * from "./types.js";
