import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { rateLimitFor, limiterMode, type Disagreement, type UpstashLimiter } from "../examples/rate-limit.js";
import { API_URL, client, freshCreator, needs, untilAnswering } from "./local-api.js";

/** A stand-in for the old @upstash/ratelimit instance: allows everything and counts its calls. */
function permissiveUpstash(): UpstashLimiter & { calls: number } {
  const limiter = {
    calls: 0,
    async limit() {
      limiter.calls += 1;
      return { success: true, limit: 10, remaining: 9, reset: Date.now() + 60_000 };
    },
  };
  return limiter;
}

describe("the migration's lib/ai/rate-limit.ts (examples/rate-limit.ts) against the local API", { skip: needs(API_URL, "RATE_LIMIT_TEST_API_URL") }, () => {
  before(() => untilAnswering(API_URL!));

  test("RATE_LIMITER picks the mode; anything else is this limiter", () => {
    assert.equal(limiterMode("upstash"), "upstash");
    assert.equal(limiterMode("dual"), "dual");
    assert.equal(limiterMode(undefined), "aws");
  });

  test("dual: the old limiter decides, and the checks this limiter denies are reported as disagreements", async () => {
    const upstash = permissiveUpstash();
    const reported: Disagreement[] = [];
    const check = rateLimitFor("dual", client(), () => upstash, (d) => reported.push(d));
    const creatorId = freshCreator("dual");

    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await check(creatorId, "free"));   // free: 10 requests a minute

    assert.ok(answers.every((a) => a.success), "the old limiter's answers are the ones returned");
    assert.equal(upstash.calls, 11);
    assert.equal(reported.length, 1, JSON.stringify(reported));
    assert.deepEqual(reported[0], { creatorId, tier: "free", upstashAllowed: true, awsAllowed: false,
      deniedBy: "requests-per-minute" });
  });

  test("aws: this limiter alone decides; upstash: the old one alone (the way back), this one is not called", async () => {
    const upstash = permissiveUpstash();
    const creatorId = freshCreator("cutover");
    const aws = rateLimitFor("aws", client(), () => upstash);
    for (let i = 0; i < 10; i++) assert.equal((await aws(creatorId, "free")).success, true);
    assert.equal((await aws(creatorId, "free")).success, false);
    assert.equal(upstash.calls, 0);

    const back = rateLimitFor("upstash", client(), () => upstash);
    const untouched = freshCreator("way-back");
    assert.equal((await back(untouched, "free")).success, true);
    assert.equal(upstash.calls, 1);
    const status = await client().limits(untouched, "free");
    assert.equal(status.limits.find((l) => l.name === "requests-per-minute")?.remaining, 10, "not charged on the way back");
  });
});
