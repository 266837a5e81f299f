import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { RateLimitApiError } from "../src/index.js";
import { API_URL, client, freshCreator, needs, untilAnswering } from "./local-api.js";

describe("reserve, settle and release over signed HTTP", { skip: needs(API_URL, "RATE_LIMIT_TEST_API_URL") }, () => {
  before(() => untilAnswering(API_URL!));

  test("a settle after a reservation refunds the unused estimate exactly once; a second settle says replayed", async () => {
    const limiter = client();
    const creatorId = freshCreator("settle");
    const reserved = await limiter.check({ creatorId, tier: "pro", model: "gpt-4o", inputTokens: 1200, maxOutputTokens: 4000 });
    const usage = { creatorId, tier: "pro", requestId: reserved.requestId, model: "gpt-4o", inputTokens: 1200, outputTokens: 300 };
    const first = await limiter.settle(usage);
    const second = await limiter.settle(usage);
    const status = await limiter.limits(creatorId, "pro");

    assert.equal(reserved.maxOutputTokens, 4000);
    assert.equal(reserved.limits.find((l) => l.name === "tokens-per-month")?.charged, 5200);
    assert.equal(first.replayed, false);
    assert.deepEqual(first.limits.find((l) => l.name === "tokens-per-month")?.settlement,
      { result: "adjusted", reserved: 5200, actual: 1500, applied: -3700 });
    assert.equal(second.replayed, true);
    assert.deepEqual(second.limits.find((l) => l.name === "tokens-per-month")?.settlement, first.limits.find((l) => l.name === "tokens-per-month")?.settlement);
    assert.equal(status.limits.find((l) => l.name === "tokens-per-month")?.remaining, 20_000_000 - 1500);
    assert.equal(status.limits.find((l) => l.name === "generations-in-flight")?.remaining, 3);
  });

  test("a settle with cached input prices it at the cached rate", async () => {
    const limiter = client();
    const creatorId = freshCreator("cached");
    const reserved = await limiter.check({ creatorId, tier: "pro", model: "gpt-4o", inputTokens: 1000, maxOutputTokens: 1000 });
    const settled = await limiter.settle({ creatorId, tier: "pro", requestId: reserved.requestId, model: "gpt-4o",
      inputTokens: 200, cachedInputTokens: 800, outputTokens: 100 });

    // 200 x 2.50 + 800 x 1.25 + 100 x 10.00 per million = 0.0025 USD
    assert.equal(settled.limits.find((l) => l.name === "usd-per-month")?.settlement.actual, "0.002500");
  });

  test("a release frees the lease, keeps the estimate charged, and a second release says already-released", async () => {
    const limiter = client();
    const creatorId = freshCreator("release");
    const reserved = await limiter.check({ creatorId, tier: "free", model: "gpt-4o-mini", inputTokens: 100, maxOutputTokens: 100 });
    const held = await limiter.check({ creatorId, tier: "free", model: "gpt-4o-mini", inputTokens: 100, maxOutputTokens: 100 });
    const first = await limiter.release({ creatorId, tier: "free", requestId: reserved.requestId });
    const second = await limiter.release({ creatorId, tier: "free", requestId: reserved.requestId });
    const after = await limiter.check({ creatorId, tier: "free", model: "gpt-4o-mini", inputTokens: 100, maxOutputTokens: 100 });

    assert.equal(reserved.allowed, true);
    assert.deepEqual([held.allowed, held.deniedBy], [false, "generations-in-flight"]);
    assert.equal(first.released, true);
    assert.equal(first.leases[0]?.result, "released");
    assert.equal(second.released, false);
    assert.equal(second.leases[0]?.result, "already-released");
    assert.equal(after.allowed, true, "the freed lease admits the next generation");
    assert.equal(after.limits.find((l) => l.name === "tokens-per-month")?.remaining, 500_000 - 200 - 200);
  });

  test("settling an unknown request id is a 400 RateLimitApiError naming requestId", async () => {
    const error = await client().settle({ creatorId: freshCreator("unknown"), tier: "pro", requestId: "never-checked",
      model: "gpt-4o", inputTokens: 1, outputTokens: 1 }).then(() => assert.fail("must be refused"), (e: unknown) => e);

    assert.ok(error instanceof RateLimitApiError);
    assert.equal(error.status, 400);
    assert.equal(error.type, "urn:problem:rate-limiter:unknown-reservation");
    assert.equal(error.field, "requestId");
  });
});
