import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { RateLimitDeniedError, usageFromOpenAI, type ModelCall } from "../src/index.js";
import { API_URL, client, freshCreator, needs, untilAnswering } from "./local-api.js";

/** A streamed model answer: text chunks, then (unless cut short) a final chunk with the usage, as OpenAI streams. */
async function* modelStream(chunks: number, signal: AbortSignal, withUsage = true) {
  for (let i = 0; i < chunks; i++) {
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield { text: `t${i}`, usage: undefined };
  }
  if (withUsage) {
    yield { text: "", usage: { prompt_tokens: 1200, completion_tokens: chunks, prompt_tokens_details: { cached_tokens: 200 } } };
  }
}

const gpt4o = (creatorId: string) => ({ creatorId, tier: "pro", model: "gpt-4o", inputTokens: 1200, maxOutputTokens: 4000 });

describe("withModelCall: check, call, settle or release", { skip: needs(API_URL, "RATE_LIMIT_TEST_API_URL") }, () => {
  before(() => untilAnswering(API_URL!));

  test("a streamed call settles once with the usage its final chunk reported, and frees the lease", async () => {
    const limiter = client();
    const creatorId = freshCreator("stream");
    let maxTokensGiven = 0;
    const outcome = await limiter.withModelCall(gpt4o(creatorId), async (call, signal) => {
      maxTokensGiven = call.maxOutputTokens;
      let text = "";
      for await (const chunk of modelStream(30, signal)) {
        text += chunk.text;
        call.countOutputTokens();
        if (chunk.usage) call.reportUsage(usageFromOpenAI(chunk.usage));
      }
      return text;
    });

    assert.ok(outcome.allowed);
    assert.equal(maxTokensGiven, 4000);
    assert.equal(outcome.value.length > 0, true);
    assert.equal(outcome.end.outcome, "settled");
    assert.ok(outcome.end.outcome === "settled");
    assert.deepEqual(outcome.end.usage, { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 30 });
    assert.equal(outcome.end.settlement.replayed, false);
    assert.equal(outcome.end.settlement.limits.find((l) => l.name === "tokens-per-month")?.settlement.applied, 1230 - 5200);
    const status = await limiter.limits(creatorId, "pro");
    assert.equal(status.limits.find((l) => l.name === "tokens-per-month")?.remaining, 20_000_000 - 1230);
    assert.equal(status.limits.find((l) => l.name === "generations-in-flight")?.remaining, 3);
  });

  test("a call whose model throws is released (lease freed, estimate kept) and the error reaches the caller", async () => {
    const limiter = client();
    const creatorId = freshCreator("throws");
    let call: ModelCall | undefined;
    const failure = new Error("model overloaded");
    await assert.rejects(limiter.withModelCall(gpt4o(creatorId), async (c) => {
      call = c;
      throw failure;
    }), (error) => error === failure);

    const end = await call!.end();
    assert.equal(end.outcome, "released");
    assert.ok(end.outcome === "released" && end.release.released);
    const status = await limiter.limits(creatorId, "pro");
    assert.equal(status.limits.find((l) => l.name === "generations-in-flight")?.remaining, 3);
    assert.equal(status.limits.find((l) => l.name === "tokens-per-month")?.remaining, 20_000_000 - 5200);
  });

  test("an abort before any output releases; the abort's reason reaches the caller", async () => {
    const limiter = client();
    const creatorId = freshCreator("abort");
    const browser = new AbortController();
    const call = await limiter.startModelCall(gpt4o(creatorId), { signal: browser.signal });
    const running = call.run(async (_call, signal) => {
      await new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    });
    browser.abort(new Error("the browser went away"));

    await assert.rejects(running, /the browser went away/);
    assert.equal((await call.end()).outcome, "released");
    const status = await limiter.limits(creatorId, "pro");
    assert.equal(status.limits.find((l) => l.name === "generations-in-flight")?.remaining, 3);
  });

  test("a stream cut short settles the output counted so far with the estimated input", async () => {
    const limiter = client();
    const creatorId = freshCreator("cut");
    const call = await limiter.startModelCall(gpt4o(creatorId));
    await assert.rejects(call.run(async (c, signal) => {
      for await (const chunk of modelStream(20, signal, false)) {
        c.countOutputTokens();
        if (chunk.text === "t9") c.abort(new Error("client disconnected"));
      }
    }), /client disconnected/);

    const end = await call.end();
    assert.ok(end.outcome === "settled");
    assert.deepEqual(end.usage, { inputTokens: 1200, outputTokens: 10 });
  });

  test("the end is settled exactly once however often it is asked for; a later settle is a replay", async () => {
    const limiter = client();
    const creatorId = freshCreator("once");
    const call = await limiter.startModelCall(gpt4o(creatorId));
    call.reportUsage({ inputTokens: 1200, outputTokens: 100 });
    const [a, b] = await Promise.all([call.end(), call.end()]);
    const again = await limiter.settle({ creatorId, tier: "pro", requestId: call.requestId, model: "gpt-4o", inputTokens: 1200, outputTokens: 100 });

    assert.equal(a, b);
    assert.ok(a.outcome === "settled" && !a.settlement.replayed);
    assert.equal(again.replayed, true);
    await assert.rejects(call.run(() => "twice"), /already run/);
  });

  test("a denied call never runs the model and ends with nothing reserved", async () => {
    const limiter = client();
    const creatorId = freshCreator("denied");
    const free = { creatorId, tier: "free", model: "gpt-4o-mini", inputTokens: 100, maxOutputTokens: 100 };
    const holder = await limiter.startModelCall(free);
    let ran = false;
    const outcome = await limiter.withModelCall(free, () => {
      ran = true;
    });
    const denied = await limiter.startModelCall(free);
    await assert.rejects(denied.run(() => "never"), RateLimitDeniedError);
    await holder.end();

    assert.equal(holder.allowed, true);
    assert.equal(outcome.allowed, false);
    assert.equal(outcome.decision.deniedBy, "generations-in-flight");
    assert.equal(outcome.end.outcome, "nothing-reserved");
    assert.equal(ran, false);
    assert.equal((await denied.end()).outcome, "nothing-reserved");
  });
});
