// The HTTP API's bodies and answers (README "HTTP API" and "AI usage"), as the rate-check function writes them.

/** What a limit counts. */
export type LimitUnit = "requests" | "tokens" | "usd" | "concurrent";

/**
 * An amount of a limit: a whole number of requests, tokens or calls in flight, or, on a `usd` limit, an
 * exact decimal string of US dollars (e.g. `"19.957000"`), never a float.
 */
export type Amount = number | string;

/** One limit of a plan with its state, as every answer shows it. */
export interface LimitState {
  name: string;
  unit: LimitUnit;
  algorithm: "sliding-window" | "sliding-log" | "token-bucket" | "fixed-window" | "lease" | (string & {});
  /** `"1m"`, `"month"`, ...; on a lease limit, how long a lease lives. */
  window: string;
  limit: Amount;
  /** token-bucket limits only */
  burst?: Amount;
  remaining: Amount;
  /** present (true) when the creator's override set this limit */
  overridden?: boolean;
  /** present (false) on a shadow limit: counted and reported, never denying */
  enforce?: boolean;
  /** ISO-8601 instant when the limit is fully available again */
  resetAt: string;
  resetSeconds: number;
}

/** A limit in a check's answer. */
export interface CheckedLimit extends LimitState {
  /** whether this check's cost fits the limit now */
  fits: boolean;
  /** what this check charged to the limit (absent when nothing) */
  charged?: Amount;
}

interface CheckFields {
  creatorId: string;
  /** the plan's name, e.g. "free", "pro", "enterprise" */
  tier: string;
  /** makes retries safe; the client generates one (crypto.randomUUID()) when none is given */
  requestId?: string;
  /** requests to consume, 1 by default */
  requests?: number;
}

/** `POST /v1/check` with a plain estimate. */
export interface PlainCheckRequest extends CheckFields {
  /** a plain total token estimate */
  tokens?: number;
  model?: never;
  inputTokens?: never;
  maxOutputTokens?: never;
  minOutputTokens?: never;
}

/** `POST /v1/check` reserving a model call: its input, the most output that fits, its price, a lease. */
export interface ReservationRequest extends CheckFields {
  tokens?: never;
  /** a model of the plan document's price table (required on plans with a `usd` limit) */
  model?: string;
  inputTokens: number;
  maxOutputTokens: number;
  /** the least output worth calling the model for (default: maxOutputTokens, i.e. all of it must fit) */
  minOutputTokens?: number;
}

export type CheckRequest = PlainCheckRequest | ReservationRequest;

/** The body of a check's answer (200 allowed, 429 denied). */
export interface CheckAnswer {
  allowed: boolean;
  creatorId: string;
  tier: string;
  /** the limit that denied */
  deniedBy?: string;
  retryAfterSeconds?: number;
  /** shadow limits that would have denied */
  shadowDenied?: string[];
  /** true: the same requestId was allowed before; this is its first decision, nothing was charged again */
  replayed?: boolean;
  /** true: no decision from Redis (the server's, or this client's, failure policy answered) */
  degraded: boolean;
  /** false in dual-run: allowed although the limiter would have denied (`deniedBy` says which limit) */
  enforced?: boolean;
  /** a degraded answer's explanation */
  reason?: string;
  /** the output reserved (allowed) or what would fit now (denied): give it to the model as its max tokens */
  maxOutputTokens: number;
  evaluatedAt?: string;
  limits: CheckedLimit[];
}

/** `POST /v1/settle`: the usage the model reported for the call its check reserved. */
export interface SettleRequest {
  creatorId: string;
  tier: string;
  requestId: string;
  model?: string;
  /** the uncached input (OpenAI: prompt_tokens - cached_tokens; Anthropic: input_tokens) */
  inputTokens: number;
  cachedInputTokens?: number;
  outputTokens: number;
}

/** How settle adjusted one limit (actual - reserved). */
export interface LimitSettlement {
  result: "unchanged" | "adjusted" | "refund-dropped" | "refund-clamped" | "charged-to-current-window"
    | "lease-released" | "lease-expired" | "lease-already-released" | "not-reserved" | (string & {});
  reserved: Amount;
  actual: Amount;
  applied: Amount;
}

export interface SettledLimit extends LimitState {
  settlement: LimitSettlement;
}

export interface Settlement {
  creatorId: string;
  tier: string;
  requestId: string;
  /** true: this request id was settled before; this is the first settlement, nothing changed */
  replayed: boolean;
  reservedAt: string;
  settledAt: string;
  limits: SettledLimit[];
}

/** `POST /v1/release`: free the call's concurrency lease without settling its usage. */
export interface ReleaseRequest {
  creatorId: string;
  tier: string;
  requestId: string;
}

export interface ReleasedLease extends LimitState {
  result: "released" | "already-released" | "freed-by-settle" | "expired" | "no-lease" | "not-a-lease" | (string & {});
}

export interface Release {
  creatorId: string;
  tier: string;
  requestId: string;
  /** whether this call freed a lease */
  released: boolean;
  leases: ReleasedLease[];
}

/** `GET /v1/limits/{creatorId}?tier=&model=`: every limit of the plan, consuming nothing. */
export interface LimitsAnswer {
  creatorId: string;
  tier: string;
  maxOutputTokens: number;
  evaluatedAt?: string;
  /** `fits`: whether one more request would fit now */
  limits: CheckedLimit[];
}
