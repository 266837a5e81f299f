import { MAX_RETRY_DELAY_MS, type CallOptions, type ResolvedConfig, retries as checkRetries, timeoutMs as checkTimeout } from "./config.js";
import { isObject, type Unavailability, type UnavailableReason } from "./errors.js";
import { encodeQuery, RequestSigner } from "./signer.js";

export interface ApiRequest {
  method: "GET" | "POST";
  /** the route, e.g. "/v1/check"; path parameters already encoded */
  path: string;
  query?: Readonly<Record<string, string>>;
  body?: unknown;
}

/** An HTTP answer below 500. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** the parsed JSON, or the text when it is not JSON */
  body: unknown;
}

export type Outcome = { answered: true; answer: ApiAnswer } | { answered: false; unavailable: Unavailability };

type Attempt = Outcome & { retryable: boolean };

/**
 * Sends signed requests: each attempt bounded by the timeout (answer included), retried with exponential
 * backoff and jitter after a timeout, a network error or a 5xx, never after a 4xx. The body is the same on
 * every attempt, so a check, settle or release keeps its requestId and is charged at most once.
 */
export class Transport {
  private readonly signer: RequestSigner;

  constructor(private readonly config: ResolvedConfig) {
    this.signer = new RequestSigner(config.region, config.credentials);
  }

  async send(request: ApiRequest, options: CallOptions = {}): Promise<Outcome> {
    const timeout = options.timeoutMs === undefined ? this.config.timeoutMs : checkTimeout(options.timeoutMs);
    const retries = options.retries === undefined ? this.config.retries : checkRetries(options.retries);
    const url = this.url(request);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      const outcome = await this.attempt(request, url, body, timeout, attempt, options.signal);
      if (!outcome.retryable || attempt > retries) {
        return outcome.answered ? { answered: true, answer: outcome.answer } : { answered: false, unavailable: outcome.unavailable };
      }
      await sleep(backoff(this.config.retryDelayMs, attempt), options.signal);
    }
  }

  private url(request: ApiRequest): URL {
    const base = this.config.baseUrl;
    const prefix = base.pathname.endsWith("/") ? base.pathname.slice(0, -1) : base.pathname;
    return new URL(`${base.origin}${prefix}${request.path}${encodeQuery(request.query ?? {})}`);
  }

  private async attempt(request: ApiRequest, url: URL, body: string | undefined, timeoutMs: number,
      attempt: number, callerSignal: AbortSignal | undefined): Promise<Attempt> {
    // signed per attempt (a fresh x-amz-date); a signing failure (no credentials) is thrown, never retried
    const headers = await this.signer.sign({ method: request.method, url, query: request.query ?? {}, body });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    let answer: ApiAnswer;
    try {
      // no-store: Next.js caches fetch answers unless told not to (undici's RequestInit types lack `cache`)
      const init: RequestInit & { cache: "no-store" } = { method: request.method, headers, body,
        signal: controller.signal, cache: "no-store" };
      const response = await this.config.fetch(url, init);
      answer = { status: response.status, headers: response.headers, body: parse(await response.text()) };
    } catch (error) {
      if (callerSignal?.aborted) {
        throw callerSignal.reason;
      }
      if (timedOut) {
        return failed("timeout", attempt, `no answer within ${timeoutMs} ms`);
      }
      return failed("network", attempt, networkMessage(error));
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
    if (answer.status < 500) {
      return { answered: true, answer, retryable: false };
    }
    const detail = isObject(answer.body) && typeof answer.body["detail"] === "string" ? answer.body["detail"] : undefined;
    return failed("server-error", attempt, `HTTP ${answer.status}${detail ? `: ${detail}` : ""}`, answer.status, detail);
  }
}

function failed(reason: UnavailableReason, attempts: number, message: string, status?: number, detail?: string): Attempt {
  const unavailable: Unavailability = { reason, attempts, message };
  if (status !== undefined) unavailable.status = status;
  if (detail !== undefined) unavailable.detail = detail;
  return { answered: false, unavailable, retryable: true };
}

/** Attempt n (1-based) waits base * 2^(n-1), at most 1 s, with jitter between half and all of it. */
export function backoff(baseMs: number, attempt: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ms <= 0) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function parse(text: string): unknown {
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function networkMessage(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause = error.cause;
  if (isObject(cause)) {
    const code = typeof cause["code"] === "string" ? cause["code"] : undefined;
    const message = typeof cause["message"] === "string" ? cause["message"] : undefined;
    return [code, message].filter(Boolean).join(": ") || error.message;
  }
  return error.message;
}
