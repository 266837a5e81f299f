import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RateLimitApiError } from "../src/index.js";
import { startHoldingProxy, type HoldingProxy } from "./holding-proxy.js";
import { API_URL, client, freshCreator, needs, untilAnswering } from "./local-api.js";

const ATTEMPT_TIMEOUT_MS = 1500;
const HOLD_MS = ATTEMPT_TIMEOUT_MS + 1000;

const requestIds = (proxy: HoldingProxy) => proxy.requests.map((r) => (JSON.parse(r.body) as { requestId: string }).requestId);

describe("retries reuse the request id", { skip: needs(API_URL, "RATE_LIMIT_TEST_API_URL") }, () => {
  const proxies: HoldingProxy[] = [];
  before(() => untilAnswering(API_URL!));
  after(() => Promise.all(proxies.map((p) => p.close())));

  async function behindProxy(holdFirstAnswerMs: number) {
    const proxy = await startHoldingProxy(API_URL!, holdFirstAnswerMs);
    proxies.push(proxy);
    return { proxy, limiter: client({ baseUrl: proxy.url, timeoutMs: ATTEMPT_TIMEOUT_MS, retries: 2, retryDelayMs: 10 }) };
  }

  test("a check whose answer arrives after the timeout is retried with the same requestId and charged once", async () => {
    const { proxy, limiter } = await behindProxy(HOLD_MS);
    const creatorId = freshCreator("retry-check");
    const decision = await limiter.check({ creatorId, tier: "pro", tokens: 700 });
    const status = await client().limits(creatorId, "pro");

    assert.equal(proxy.requests.length, 2, "the first attempt timed out, the second was answered");
    assert.deepEqual(requestIds(proxy), [decision.requestId, decision.requestId]);
    assert.equal(decision.allowed, true);
    assert.equal(decision.replayed, true, "the server had charged the first attempt: the retry is its replay");
    assert.equal(decision.unavailable, undefined);
    assert.equal(status.limits.find((l) => l.name === "requests-per-minute")?.remaining, 59);
    assert.equal(status.limits.find((l) => l.name === "tokens-per-month")?.remaining, 20_000_000 - 700);
  });

  test("a settle whose answer arrives after the timeout is retried and applied once", async () => {
    const { proxy, limiter } = await behindProxy(HOLD_MS);
    const creatorId = freshCreator("retry-settle");
    const reserved = await client().check({ creatorId, tier: "pro", model: "gpt-4o", inputTokens: 1200, maxOutputTokens: 4000 });
    const settlement = await limiter.settle({ creatorId, tier: "pro", requestId: reserved.requestId, model: "gpt-4o",
      inputTokens: 1200, outputTokens: 300 });
    const status = await client().limits(creatorId, "pro");

    assert.deepEqual(requestIds(proxy), [reserved.requestId, reserved.requestId]);
    assert.equal(settlement.replayed, true);
    assert.equal(status.limits.find((l) => l.name === "tokens-per-month")?.remaining, 20_000_000 - 1500);
  });

  test("a 429 and a 400 are answers, never retried", async () => {
    const { proxy, limiter } = await behindProxy(0);
    const creatorId = freshCreator("no-retry");
    for (let i = 0; i < 10; i++) {
      await client().check({ creatorId, tier: "free" });
    }
    const denied = await limiter.check({ creatorId, tier: "free" });
    await assert.rejects(limiter.check({ creatorId, tier: "no-such-plan" }), RateLimitApiError);

    assert.equal(denied.status, 429);
    assert.deepEqual(proxy.requests.map((r) => r.path), ["/v1/check", "/v1/check"]);
  });
});
