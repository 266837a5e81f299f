import type { CheckDecision } from "./answers.js";
import { RateLimitDeniedError } from "./errors.js";
import type { Release, ReleaseRequest, Settlement, SettleRequest } from "./types.js";

/** A model call to reserve: its input and the most output it may produce. */
export interface ModelCallRequest {
  creatorId: string;
  tier: string;
  model: string;
  /** the estimated input */
  inputTokens: number;
  maxOutputTokens: number;
  /** the least output worth calling for (default: maxOutputTokens) */
  minOutputTokens?: number;
  requests?: number;
  /** default: crypto.randomUUID() */
  requestId?: string;
}

/** What the model reported. `inputTokens` is the uncached input (see `usageFromOpenAI` and friends). */
export interface ModelUsage {
  inputTokens: number;
  cachedInputTokens?: number;
  outputTokens: number;
  /** default: the reserved model */
  model?: string;
}

/** How a model call ended: exactly one settle or release, or nothing when nothing was reserved. */
export type ModelCallEnd =
  | { outcome: "settled"; usage: ModelUsage; settlement: Settlement }
  | { outcome: "released"; release: Release }
  | { outcome: "nothing-reserved" }
  /** the settle or release failed (after its retries): the reservation stays charged at its estimate until it expires */
  | { outcome: "failed"; action: "settle" | "release"; error: unknown };

export type ModelCallOutcome<T> =
  | { allowed: true; decision: CheckDecision; value: T; end: ModelCallEnd }
  | { allowed: false; decision: CheckDecision; end: ModelCallEnd };

/** The work of one model call: call the model with `call.maxOutputTokens` and `signal`, report its usage. */
export type ModelCallWork<T> = (call: ModelCall, signal: AbortSignal) => Promise<T> | T;

interface Accounting {
  settle(request: SettleRequest): Promise<Settlement>;
  release(request: ReleaseRequest): Promise<Release>;
}

/**
 * One reserved model call. It ends exactly once (`end()` returns the same promise every time): settled
 * with the usage reported by `reportUsage`, else with the estimated input and the output counted by
 * `countOutputTokens` (a stream cut short), else released (the reservation then stays charged at its
 * estimate, the lease is freed).
 */
export class ModelCall {
  readonly requestId: string;
  readonly decision: CheckDecision;
  readonly allowed: boolean;
  /** give this to the model (max_tokens / maxOutputTokens): the output reserved */
  readonly maxOutputTokens: number;
  /** aborted by the caller's signal or by `abort()`: pass it to the model call */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private usage: ModelUsage | undefined;
  private outputTokensSeen = 0;
  private running = false;
  private ending: Promise<ModelCallEnd> | undefined;

  constructor(private readonly request: ModelCallRequest & { requestId: string }, decision: CheckDecision,
      private readonly accounting: Accounting, callerSignal?: AbortSignal) {
    this.requestId = request.requestId;
    this.decision = decision;
    this.allowed = decision.allowed;
    // a degraded allow (no decision from Redis) reserved nothing known: the call runs as asked
    this.maxOutputTokens = decision.allowed && decision.degraded && decision.maxOutputTokens === 0
      ? request.maxOutputTokens : decision.maxOutputTokens;
    this.signal = this.controller.signal;
    if (callerSignal?.aborted) {
      this.controller.abort(callerSignal.reason);
    } else {
      callerSignal?.addEventListener("abort", () => this.controller.abort(callerSignal.reason), { once: true });
    }
  }

  /** The usage the model reported (e.g. a stream's final chunk); the settle uses it, even after an abort. */
  reportUsage(usage: ModelUsage): void {
    this.usage = { ...usage };
  }

  /** Counts output seen so far; used only when the call ends without `reportUsage` (a stream cut short). */
  countOutputTokens(count = 1): void {
    this.outputTokensSeen += count;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /** Settles or releases, once; never rejects (a failure is the `failed` outcome). */
  end(): Promise<ModelCallEnd> {
    this.ending ??= this.finish();
    return this.ending;
  }

  /**
   * Runs the model call and ends it: after `work` returns, and also when it throws or is aborted (the
   * error is rethrown after the end). A denied call throws RateLimitDeniedError without running `work`.
   */
  async run<T>(work: ModelCallWork<T>): Promise<T> {
    if (!this.allowed) {
      throw new RateLimitDeniedError(this.decision);
    }
    if (this.running || this.ending) {
      throw new Error(`model call ${this.requestId} has already run`);
    }
    this.running = true;
    let value: T;
    try {
      value = await work(this, this.signal);
    } catch (error) {
      await this.end();
      throw error;
    }
    await this.end();
    return value;
  }

  private async finish(): Promise<ModelCallEnd> {
    if (!this.allowed) {
      return { outcome: "nothing-reserved" };
    }
    const { creatorId, tier, requestId } = this.request;
    const usage = this.usage ?? (this.outputTokensSeen > 0
      ? { inputTokens: this.request.inputTokens, outputTokens: this.outputTokensSeen } : undefined);
    if (usage === undefined) {
      try {
        return { outcome: "released", release: await this.accounting.release({ creatorId, tier, requestId }) };
      } catch (error) {
        return { outcome: "failed", action: "release", error };
      }
    }
    // never the caller's signal: a cut-short call must still be settled
    const settle: SettleRequest = { creatorId, tier, requestId, model: usage.model ?? this.request.model,
      inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
    if (usage.cachedInputTokens !== undefined) {
      settle.cachedInputTokens = usage.cachedInputTokens;
    }
    try {
      return { outcome: "settled", usage, settlement: await this.accounting.settle(settle) };
    } catch (error) {
      return { outcome: "failed", action: "settle", error };
    }
  }
}
