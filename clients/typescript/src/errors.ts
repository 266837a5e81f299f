import type { CheckAnswer } from "./types.js";

/**
 * A 4xx answer other than a check's 429 (and other than 429 from settle, release or limits): bad input,
 * an unknown or expired reservation, a refused signature. Never retried: the same request would get the
 * same answer. Fields come from the RFC 9457 problem+json body; a 403 from API Gateway's IAM
 * authorization carries only `{"message": ...}`, which becomes the error's message.
 */
export class RateLimitApiError extends Error {
  override readonly name = "RateLimitApiError";
  readonly status: number;
  /** `urn:problem:rate-limiter:<slug>` (absent on API Gateway's own answers) */
  readonly type: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  /** the input at fault, e.g. "tier" */
  readonly field: string | undefined;
  /** the Lambda request id: finds the function's log line */
  readonly instance: string | undefined;
  /** API Gateway's request id of the answer (`apigw-requestid`) */
  readonly gatewayRequestId: string | undefined;
  /** the parsed body, or the text when it was not JSON */
  readonly body: unknown;

  constructor(status: number, body: unknown, gatewayRequestId?: string) {
    const fields = isObject(body) ? body : {};
    const text = (key: string) => (typeof fields[key] === "string" ? (fields[key] as string) : undefined);
    const detail = text("detail");
    super(detail ?? text("message") ?? text("title") ?? `The rate limiter answered HTTP ${status}`);
    this.status = status;
    this.type = text("type");
    this.title = text("title");
    this.detail = detail;
    this.field = text("field");
    this.instance = text("instance");
    this.gatewayRequestId = gatewayRequestId;
    this.body = body;
  }
}

/** Why the rate limiter gave no answer. */
export type UnavailableReason =
  /** an attempt took longer than `timeoutMs` */
  | "timeout"
  /** no HTTP answer: connection refused or reset, DNS, TLS */
  | "network"
  /** a 5xx answer: 503 when the function cannot reach Redis, 500/502/504 otherwise */
  | "server-error";

/** What the client knows about an unavailable rate limiter, after all its attempts. */
export interface Unavailability {
  reason: UnavailableReason;
  /** attempts made (1 + retries used) */
  attempts: number;
  /** the last 5xx status, when there was one */
  status?: number;
  /** the last 5xx answer's problem detail, when there was one */
  detail?: string;
  /** the last failure's message */
  message: string;
}

/**
 * The rate limiter could not be reached or did not answer in time after every retry (settle, release and
 * limits; a check answers with its failure policy instead, see `onUnavailable`). A retry later with the
 * same request id is safe.
 */
export class RateLimitUnavailableError extends Error {
  override readonly name = "RateLimitUnavailableError";
  readonly unavailable: Unavailability;

  constructor(unavailable: Unavailability) {
    super(`The rate limiter is unavailable (${unavailable.reason} after ${unavailable.attempts} attempt`
      + `${unavailable.attempts === 1 ? "" : "s"}): ${unavailable.message}`);
    this.unavailable = unavailable;
  }
}

/** A model call was refused (thrown by `ModelCall.run` on a denied call). */
export class RateLimitDeniedError extends Error {
  override readonly name = "RateLimitDeniedError";
  readonly decision: CheckAnswer;

  constructor(decision: CheckAnswer) {
    super(decision.deniedBy
      ? `Rate limit "${decision.deniedBy}" denied the call; retry after ${decision.retryAfterSeconds ?? 1} s`
      : "The rate limiter denied the call");
    this.decision = decision;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
