/** AWS credentials, the shape every AWS SDK credential provider resolves to. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialsProvider = () => Promise<Credentials>;

/**
 * What a check answers when the rate limiter gives no answer (timeout, network error, 5xx after every
 * retry): `fail-open` allows (marked `degraded`), `fail-closed` denies (marked `degraded`, retry after 1 s).
 */
export type OnUnavailable = "fail-open" | "fail-closed";

export interface RateLimitClientOptions {
  /** the HTTP API's base URL: the stack's `ApiUrl` output, or `tools/local start-api`'s address */
  baseUrl: string;
  /** the API's region, signed into every request (SigV4, service execute-api) */
  region: string;
  /** default: the AWS SDK's default credential chain (environment, SSO, ini files, web identity, ECS/EC2 roles) */
  credentials?: Credentials | CredentialsProvider;
  /** per attempt, including reading the answer; default 2000 */
  timeoutMs?: number;
  /** default "fail-closed", as the functions' own default */
  onUnavailable?: OnUnavailable;
  /** extra attempts after a timeout, a network error or a 5xx (never after a 4xx such as 429); default 2 */
  retries?: number;
  /** the first retry waits about this long, each next one twice as long (with jitter, at most 1 s); default 50 */
  retryDelayMs?: number;
  /** default: the global fetch */
  fetch?: typeof fetch;
}

/** Per-call overrides. */
export interface CallOptions {
  /** aborts the call (no retry, no failure policy: the abort's reason is thrown) */
  signal?: AbortSignal;
  timeoutMs?: number;
  retries?: number;
}

export interface ResolvedConfig {
  readonly baseUrl: URL;
  readonly region: string;
  readonly credentials: Credentials | CredentialsProvider | undefined;
  readonly timeoutMs: number;
  readonly onUnavailable: OnUnavailable;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly fetch: typeof fetch;
}

export const DEFAULTS = Object.freeze({ timeoutMs: 2000, onUnavailable: "fail-closed", retries: 2, retryDelayMs: 50 });
export const MAX_RETRY_DELAY_MS = 1000;

/** Checks the options once, at creation, so that a misconfiguration fails at start-up, not at the first call. */
export function resolveConfig(options: RateLimitClientOptions): ResolvedConfig {
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL such as the stack's ApiUrl output, not "${options.baseUrl}"`);
  }
  if (baseUrl.protocol !== "https:" && baseUrl.protocol !== "http:") {
    throw new TypeError(`baseUrl must be an http(s) URL, not "${options.baseUrl}"`);
  }
  if (typeof options.region !== "string" || !/^[a-z0-9-]+$/.test(options.region)) {
    throw new TypeError(`region must name an AWS region such as "us-east-1", not "${String(options.region)}"`);
  }
  const onUnavailable = options.onUnavailable ?? DEFAULTS.onUnavailable;
  if (onUnavailable !== "fail-open" && onUnavailable !== "fail-closed") {
    throw new TypeError(`onUnavailable must be "fail-open" or "fail-closed", not "${String(onUnavailable)}"`);
  }
  const fetchFunction = options.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== "function") {
    throw new TypeError("no fetch: run on Node.js 20 or later, or pass options.fetch");
  }
  return Object.freeze({
    baseUrl,
    region: options.region,
    credentials: options.credentials,
    timeoutMs: timeoutMs(options.timeoutMs ?? DEFAULTS.timeoutMs),
    onUnavailable,
    retries: retries(options.retries ?? DEFAULTS.retries),
    retryDelayMs: whole("retryDelayMs", options.retryDelayMs ?? DEFAULTS.retryDelayMs, 0, MAX_RETRY_DELAY_MS),
    fetch: fetchFunction,
  });
}

export function timeoutMs(value: number): number {
  return whole("timeoutMs", value, 1, 60_000);
}

export function retries(value: number): number {
  return whole("retries", value, 0, 5);
}

function whole(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
  return value;
}
