import { randomUUID } from "node:crypto";
import { checkDecision, limitsStatus, okBody, policyDecision, upstashStyle, type CheckDecision, type LimitsStatus,
  type UpstashStyleResult } from "./answers.js";
import { resolveConfig, type CallOptions, type RateLimitClientOptions, type ResolvedConfig } from "./config.js";
import { RateLimitUnavailableError } from "./errors.js";
import { ModelCall, type ModelCallOutcome, type ModelCallRequest, type ModelCallWork } from "./model-call.js";
import { Transport, type ApiAnswer, type ApiRequest } from "./transport.js";
import type { CheckRequest, Release, ReleaseRequest, Settlement, SettleRequest } from "./types.js";

export interface LimitsOptions extends CallOptions {
  /** prices `maxOutputTokens` on money limits */
  model?: string;
}

export interface RateLimitClient {
  /** The old `@upstash/ratelimit` call: one request of the creator's plan, answered in Upstash's shape. */
  checkCreatorRateLimit(creatorId: string, tier: string, options?: CallOptions): Promise<UpstashStyleResult>;
  /** `POST /v1/check`: 200 and 429 are decisions; no answer is the `onUnavailable` decision; other 4xx throw. */
  check(request: CheckRequest, options?: CallOptions): Promise<CheckDecision>;
  /** `POST /v1/settle`, exactly once per request id (a repeat answers `replayed: true`). */
  settle(request: SettleRequest, options?: CallOptions): Promise<Settlement>;
  /** `POST /v1/release`: frees the call's concurrency lease, usage unchanged. */
  release(request: ReleaseRequest, options?: CallOptions): Promise<Release>;
  /** `GET /v1/limits/{creatorId}?tier=`: every limit's state, consuming nothing. */
  limits(creatorId: string, tier: string, options?: LimitsOptions): Promise<LimitsStatus>;
  /** Reserves a model call; end it with `call.end()` or run it with `call.run(...)`. */
  startModelCall(request: ModelCallRequest, options?: CallOptions): Promise<ModelCall>;
  /** Check, then run `work` with the grant, then settle with the usage it reported, or release on a throw or abort. */
  withModelCall<T>(request: ModelCallRequest, work: ModelCallWork<T>, options?: CallOptions): Promise<ModelCallOutcome<T>>;
}

/** A client of the rate limiter's HTTP API; every request SigV4-signed (service execute-api). */
export function createRateLimitClient(options: RateLimitClientOptions): RateLimitClient {
  return new HttpRateLimitClient(resolveConfig(options));
}

class HttpRateLimitClient implements RateLimitClient {
  private readonly transport: Transport;

  constructor(private readonly config: ResolvedConfig) {
    this.transport = new Transport(config);
  }

  async checkCreatorRateLimit(creatorId: string, tier: string, options?: CallOptions): Promise<UpstashStyleResult> {
    return upstashStyle(await this.check({ creatorId, tier }, options));
  }

  async check(request: CheckRequest, options?: CallOptions): Promise<CheckDecision> {
    const requestId = request.requestId ?? randomUUID();
    const outcome = await this.transport.send({ method: "POST", path: "/v1/check", body: { ...request, requestId } }, options);
    return outcome.answered
      ? checkDecision(outcome.answer, requestId)
      : policyDecision(request, requestId, outcome.unavailable, this.config.onUnavailable);
  }

  async settle(request: SettleRequest, options?: CallOptions): Promise<Settlement> {
    const body = { ...request, requestId: request.requestId ?? randomUUID() };
    return okBody<Settlement>(await this.answer({ method: "POST", path: "/v1/settle", body }, options), "limits");
  }

  async release(request: ReleaseRequest, options?: CallOptions): Promise<Release> {
    const body = { ...request, requestId: request.requestId ?? randomUUID() };
    return okBody<Release>(await this.answer({ method: "POST", path: "/v1/release", body }, options), "leases");
  }

  async limits(creatorId: string, tier: string, options: LimitsOptions = {}): Promise<LimitsStatus> {
    const { model, ...callOptions } = options;
    const query: Record<string, string> = model === undefined ? { tier } : { tier, model };
    const path = `/v1/limits/${encodeURIComponent(creatorId)}`;
    return limitsStatus(await this.answer({ method: "GET", path, query }, callOptions));
  }

  async startModelCall(request: ModelCallRequest, options?: CallOptions): Promise<ModelCall> {
    const requestId = request.requestId ?? randomUUID();
    const { creatorId, tier, model, inputTokens, maxOutputTokens, minOutputTokens, requests } = request;
    const check: CheckRequest = { creatorId, tier, requestId, model, inputTokens, maxOutputTokens };
    if (minOutputTokens !== undefined) check.minOutputTokens = minOutputTokens;
    if (requests !== undefined) check.requests = requests;
    const decision = await this.check(check, options);
    return new ModelCall({ ...request, requestId }, decision, this, options?.signal);
  }

  async withModelCall<T>(request: ModelCallRequest, work: ModelCallWork<T>, options?: CallOptions): Promise<ModelCallOutcome<T>> {
    const call = await this.startModelCall(request, options);
    if (!call.allowed) {
      return { allowed: false, decision: call.decision, end: await call.end() };
    }
    const value = await call.run(work);
    return { allowed: true, decision: call.decision, value, end: await call.end() };
  }

  /** An answer below 500, or RateLimitUnavailableError after every retry. */
  private async answer(request: ApiRequest, options?: CallOptions): Promise<ApiAnswer> {
    const outcome = await this.transport.send(request, options);
    if (!outcome.answered) {
      throw new RateLimitUnavailableError(outcome.unavailable);
    }
    return outcome.answer;
  }
}
