import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { RateLimitApiError } from "../src/index.js";
import { API_URL, client, CREDENTIALS, freshCreator, needs, REGION, untilAnswering } from "./local-api.js";
import { createRateLimitClient } from "../src/index.js";

describe("check over signed HTTP against the local API", { skip: needs(API_URL, "RATE_LIMIT_TEST_API_URL") }, () => {
  before(() => untilAnswering(API_URL!));

  test("a signed check is allowed with every limit of the plan and its RateLimit headers parsed", async () => {
    const decision = await client().check({ creatorId: freshCreator("check"), tier: "pro", tokens: 500 });

    assert.equal(decision.status, 200);
    assert.equal(decision.allowed, true);
    assert.equal(decision.degraded, false);
    assert.equal(decision.replayed, false);
    assert.match(decision.requestId, /^[0-9a-f-]{36}$/);
    const perMinute = decision.limits.find((l) => l.name === "requests-per-minute");
    assert.deepEqual([perMinute?.limit, perMinute?.remaining, perMinute?.charged], [60, 59, 1]);
    assert.equal(decision.limits.find((l) => l.name === "tokens-per-minute")?.charged, 500);
    const policy = decision.headers.policies.find((p) => p.name === "requests-per-minute");
    assert.deepEqual([policy?.quota, policy?.windowSeconds, policy?.quotaUnit], [60, 60, undefined]);
    assert.equal(decision.headers.policies.find((p) => p.name === "tokens-per-minute")?.quotaUnit, "tokens");
    assert.equal(decision.headers.policies.find((p) => p.name === "usd-per-month")?.params["x-unit"], "usd-micros");
    assert.equal(decision.headers.states.find((s) => s.name === "requests-per-minute")?.remaining, 59);
    assert.equal(decision.headers.states.length, decision.limits.length);
    assert.equal(typeof decision.headers.remaining, "number");
    assert.equal(decision.headers.retryAfterSeconds, undefined);
  });

  test("checkCreatorRateLimit keeps the Upstash call shape and answers success, limit, remaining, reset, pending", async () => {
    const before = Date.now();
    const result = await client().checkCreatorRateLimit(freshCreator("upstash"), "pro");

    assert.equal(result.success, true);
    assert.equal(result.limit, 60);
    assert.equal(result.remaining, 59);
    // a sliding window of 1m counts an admission for at most 66 s (10 sub-windows)
    assert.ok(result.reset > before && result.reset <= Date.now() + 67_000, `reset ${result.reset - before} ms ahead`);
    assert.equal(await result.pending, undefined);
    assert.equal(result.reason, undefined);
    assert.equal(result.decision.allowed, true);
  });

  test("the eleventh check of a free creator in a minute is denied with 429, deniedBy and Retry-After", async () => {
    const limiter = client();
    const creatorId = freshCreator("free-burst");
    for (let i = 1; i <= 10; i++) {
      assert.equal((await limiter.checkCreatorRateLimit(creatorId, "free")).success, true, `check ${i} is allowed`);
    }
    const denied = await limiter.check({ creatorId, tier: "free" });
    const result = await limiter.checkCreatorRateLimit(creatorId, "free");

    assert.equal(denied.status, 429);
    assert.equal(denied.allowed, false);
    assert.equal(denied.deniedBy, "requests-per-minute");
    assert.ok(denied.retryAfterSeconds! >= 1 && denied.retryAfterSeconds! <= 66, `retryAfterSeconds ${denied.retryAfterSeconds}`);
    assert.ok(denied.headers.retryAfterSeconds! >= 1, "Retry-After header parsed");
    assert.equal(denied.headers.states.find((s) => s.name === "requests-per-minute")?.remaining, 0);
    assert.equal(result.success, false);
    assert.equal(result.remaining, 0);
    assert.ok(result.reset > Date.now(), "reset is in the future");
  });

  test("a check with the caller's requestId sends it and a repeat is replayed, charging once", async () => {
    const limiter = client();
    const creatorId = freshCreator("replay");
    const first = await limiter.check({ creatorId, tier: "pro", requestId: "req-ts-1" });
    const again = await limiter.check({ creatorId, tier: "pro", requestId: "req-ts-1" });
    const status = await limiter.limits(creatorId, "pro");

    assert.deepEqual([first.requestId, first.replayed, again.replayed], ["req-ts-1", false, true]);
    assert.equal(status.limits.find((l) => l.name === "requests-per-minute")?.remaining, 59);
  });

  test("bad input is a RateLimitApiError carrying the problem's type, title, detail, field and instance", async () => {
    const error = await client().check({ creatorId: freshCreator("bad"), tier: "platinum" }).then(
      () => assert.fail("an unknown plan must be refused"), (e: unknown) => e);

    assert.ok(error instanceof RateLimitApiError);
    assert.equal(error.status, 400);
    assert.equal(error.type, "urn:problem:rate-limiter:unknown-plan");
    assert.equal(error.title, "Invalid request");
    assert.equal(error.field, "tier");
    assert.match(error.detail ?? "", /platinum.*free, pro, enterprise/);
    assert.equal(error.message, error.detail);
    assert.ok(error.instance, "instance names the Lambda request id");
    assert.ok(error.gatewayRequestId, "apigw-requestid is kept");
  });

  test("limits() reads every limit of the plan without consuming anything", async () => {
    const limiter = client();
    const creatorId = freshCreator("status");
    await limiter.check({ creatorId, tier: "pro" });
    const first = await limiter.limits(creatorId, "pro", { model: "gpt-4o" });
    const second = await limiter.limits(creatorId, "pro");

    assert.equal(first.creatorId, creatorId);
    assert.equal(first.limits.find((l) => l.name === "requests-per-minute")?.remaining, 59);
    assert.equal(second.limits.find((l) => l.name === "requests-per-minute")?.remaining, 59);
    assert.equal(first.limits.find((l) => l.name === "usd-per-month")?.remaining, "20.000000");
    assert.ok(first.maxOutputTokens > 0);
    assert.equal(first.headers.states.find((s) => s.name === "requests-per-minute")?.remaining, 59);
  });

  test("a creator id with reserved characters is one creator in a check's body and in the status path", async () => {
    const creatorId = `${freshCreator("agency")}@team:7+b=c`;   // the id rules allow @ : + = (encoded in the path)
    await client().check({ creatorId, tier: "pro", tokens: 500 });
    const status = await client().limits(creatorId, "pro");

    assert.equal(status.creatorId, creatorId);
    assert.equal(status.limits.find((l) => l.name === "requests-per-minute")?.remaining, 59);
    assert.equal(status.limits.find((l) => l.name === "tokens-per-month")?.remaining, 19_999_500);   // a fixed window: no refill
  });

  test("without credentials the client signs with the default credential chain (here AWS_ACCESS_KEY_ID)", async () => {
    assert.equal(process.env["AWS_ACCESS_KEY_ID"], CREDENTIALS.accessKeyId);
    const chained = createRateLimitClient({ baseUrl: API_URL!, region: REGION });
    const decision = await chained.check({ creatorId: freshCreator("chain"), tier: "pro" });

    assert.equal(decision.status, 200);
  });
});
