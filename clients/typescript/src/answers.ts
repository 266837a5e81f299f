import type { OnUnavailable } from "./config.js";
import { isObject, RateLimitApiError, type Unavailability } from "./errors.js";
import { parseRateLimitHeaders, type RateLimitHeaders } from "./rate-limit-headers.js";
import type { ApiAnswer } from "./transport.js";
import type { CheckAnswer, CheckRequest, LimitsAnswer } from "./types.js";

/** A check's decision: the answer's body, its parsed headers, and what the client added. */
export interface CheckDecision extends CheckAnswer {
  /** the request id sent (the caller's, or the one the client generated) */
  requestId: string;
  /** the HTTP status (200 allowed, 429 denied); absent when the client's failure policy answered */
  status?: number;
  headers: RateLimitHeaders;
  /** present when the rate limiter gave no answer and `onUnavailable` decided (`degraded` is then true) */
  unavailable?: Unavailability;
}

/** `GET /v1/limits/{creatorId}`'s answer with its parsed headers. */
export interface LimitsStatus extends LimitsAnswer {
  headers: RateLimitHeaders;
}

/** The old `@upstash/ratelimit` result's shape, and the full decision. */
export interface UpstashStyleResult {
  success: boolean;
  /** the tightest limit's capacity (0 when the failure policy answered) */
  limit: number;
  remaining: number;
  /** when the tightest limit is fully available again, in milliseconds since the epoch (as Upstash's `reset`) */
  reset: number;
  /** nothing runs in the background: always resolved */
  pending: Promise<unknown>;
  /** "timeout" when allowed by the fail-open policy without an answer (as Upstash's timeout) */
  reason?: "timeout";
  decision: CheckDecision;
}

export function checkDecision(answer: ApiAnswer, requestId: string): CheckDecision {
  const headers = parseRateLimitHeaders(answer.headers);
  const body = answer.body;
  if ((answer.status === 200 || answer.status === 429) && isObject(body) && typeof body["allowed"] === "boolean") {
    return { ...(body as unknown as CheckAnswer), requestId, status: answer.status, headers };
  }
  if (answer.status === 429) {
    // API Gateway's own throttling: {"message": "Too Many Requests"}, no decision of the limiter
    const message = isObject(body) && typeof body["message"] === "string" ? body["message"] : "Too Many Requests";
    const retryAfterSeconds = headers.retryAfterSeconds ?? 1;
    return { allowed: false, creatorId: "", tier: "", degraded: false, replayed: false, maxOutputTokens: 0, limits: [],
      retryAfterSeconds, reason: `API Gateway throttled the request: ${message}`, requestId, status: 429, headers };
  }
  throw new RateLimitApiError(answer.status, body, gatewayRequestId(answer));
}

/** What `onUnavailable` answers for a check that got no answer. */
export function policyDecision(request: CheckRequest, requestId: string, unavailable: Unavailability,
    mode: OnUnavailable): CheckDecision {
  const allowed = mode === "fail-open";
  const decision: CheckDecision = {
    allowed,
    creatorId: request.creatorId,
    tier: request.tier,
    replayed: false,
    degraded: true,
    reason: `The rate limiter is unavailable (${unavailable.reason}: ${unavailable.message}); `
      + `${allowed ? "allowed" : "denied"} by the client's ${mode} policy`,
    // fail-open lets the model call run as asked; nothing was reserved that this client knows of
    maxOutputTokens: allowed ? request.maxOutputTokens ?? 0 : 0,
    limits: [],
    requestId,
    headers: { policies: [], states: [] },
    unavailable,
  };
  if (!allowed) {
    decision.retryAfterSeconds = 1;
    decision.headers.retryAfterSeconds = 1;
  }
  return decision;
}

export function upstashStyle(decision: CheckDecision): UpstashStyleResult {
  const evaluatedAt = decision.evaluatedAt ? Date.parse(decision.evaluatedAt) : Number.NaN;
  const now = Number.isNaN(evaluatedAt) ? Date.now() : evaluatedAt;
  const resetSeconds = decision.headers.resetSeconds ?? decision.retryAfterSeconds ?? 0;
  const result: UpstashStyleResult = {
    success: decision.allowed,
    limit: decision.headers.limit ?? 0,
    remaining: decision.headers.remaining ?? 0,
    reset: now + resetSeconds * 1000,
    pending: Promise.resolve(),
    decision,
  };
  if (decision.allowed && decision.unavailable) {
    result.reason = "timeout";
  }
  return result;
}

/** The 200 body of settle, release or limits; any other status below 500 is a RateLimitApiError. */
export function okBody<T>(answer: ApiAnswer, requiredField: string): T {
  if (answer.status === 200 && isObject(answer.body) && requiredField in answer.body) {
    return answer.body as T;
  }
  throw new RateLimitApiError(answer.status, answer.body, gatewayRequestId(answer));
}

export function limitsStatus(answer: ApiAnswer): LimitsStatus {
  return { ...okBody<LimitsAnswer>(answer, "limits"), headers: parseRateLimitHeaders(answer.headers) };
}

function gatewayRequestId(answer: ApiAnswer): string | undefined {
  return answer.headers.get("apigw-requestid") ?? undefined;
}
