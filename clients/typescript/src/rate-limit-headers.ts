import { parseList, type BareItem, type Item } from "./structured-fields.js";

/** One item of `RateLimit-Policy`: a limit's quota and window. */
export interface RateLimitPolicy {
  name: string;
  /** `q`: the quota */
  quota: number;
  /** `w`: the window in seconds (absent on concurrency limits; a calendar month counts 30 days) */
  windowSeconds?: number;
  /** `qu`: "tokens", "concurrent-requests"; absent means requests */
  quotaUnit?: string;
  /** every parameter as sent, e.g. `x-unit: "usd-micros"` on money limits */
  params: Readonly<Record<string, BareItem>>;
}

/** One item of `RateLimit`: a limit's current state. */
export interface RateLimitState {
  name: string;
  /** `r`: what remains */
  remaining: number;
  /** `t`: seconds until the limit is fully available again */
  resetSeconds: number;
  params: Readonly<Record<string, BareItem>>;
}

/** The rate-limit headers of an answer, parsed. */
export interface RateLimitHeaders {
  policies: RateLimitPolicy[];
  states: RateLimitState[];
  /** `Retry-After` in seconds (429 and 503 answers) */
  retryAfterSeconds?: number;
  /** `X-RateLimit-Limit` / `-Remaining` / `-Reset` (seconds): the tightest limit */
  limit?: number;
  remaining?: number;
  resetSeconds?: number;
}

export function parseRateLimitHeaders(headers: Headers, now: number = Date.now()): RateLimitHeaders {
  const parsed: RateLimitHeaders = {
    policies: items(headers.get("ratelimit-policy")).flatMap(policy),
    states: items(headers.get("ratelimit")).flatMap(state),
  };
  const retryAfter = parseRetryAfter(headers.get("retry-after"), now);
  if (retryAfter !== undefined) {
    parsed.retryAfterSeconds = retryAfter;
  }
  const limit = wholeNumber(headers.get("x-ratelimit-limit"));
  const remaining = wholeNumber(headers.get("x-ratelimit-remaining"));
  const reset = wholeNumber(headers.get("x-ratelimit-reset"));
  if (limit !== undefined) parsed.limit = limit;
  if (remaining !== undefined) parsed.remaining = remaining;
  if (reset !== undefined) parsed.resetSeconds = reset;
  return parsed;
}

/** `Retry-After`: delay-seconds, or an HTTP date turned into whole seconds from `now` (at least 0). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null || value.trim() === "") {
    return undefined;
  }
  const seconds = wholeNumber(value);
  if (seconds !== undefined) {
    return seconds;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function items(field: string | null): Item[] {
  return parseList(field) ?? [];
}

function policy(item: Item): RateLimitPolicy[] {
  const quota = item.params["q"];
  if (typeof item.value !== "string" || typeof quota !== "number") {
    return []; // an item without its name or quota says nothing usable
  }
  const result: RateLimitPolicy = { name: item.value, quota, params: item.params };
  const window = item.params["w"];
  if (typeof window === "number") {
    result.windowSeconds = window;
  }
  const unit = item.params["qu"];
  if (typeof unit === "string") {
    result.quotaUnit = unit;
  }
  return [result];
}

function state(item: Item): RateLimitState[] {
  const remaining = item.params["r"];
  const reset = item.params["t"];
  if (typeof item.value !== "string" || typeof remaining !== "number") {
    return [];
  }
  return [{ name: item.value, remaining, resetSeconds: typeof reset === "number" ? reset : 0, params: item.params }];
}

function wholeNumber(value: string | null | undefined): number | undefined {
  if (value == null || !/^\s*\d{1,15}\s*$/.test(value)) {
    return undefined;
  }
  return Number(value.trim());
}
