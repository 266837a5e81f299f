import assert from "node:assert/strict";
import net from "node:net";
import { before, describe, test } from "node:test";
import { RateLimitUnavailableError } from "../src/index.js";
import { client, freshCreator, needs, STALLED_API_URL, STALLED_REDIS_TIMEOUT_MS, untilGatewayAnswers } from "./local-api.js";

// The stalled API's functions reach a Redis that accepts connections and never answers: each request
// takes STALLED_REDIS_TIMEOUT_MS and ends in a 503 (fail-closed, the functions' default). The functions
// serve one request at a time, so these tests run in order and budget for the requests queued before them.
const QUEUE_BUDGET_MS = 6 * STALLED_REDIS_TIMEOUT_MS + 10_000;
const SHORT_TIMEOUT_MS = Math.min(400, Math.floor(STALLED_REDIS_TIMEOUT_MS / 4));

describe("no answer from the limiter: the client's failure policy", { skip: needs(STALLED_API_URL, "RATE_LIMIT_TEST_STALLED_API_URL") }, () => {
  before(() => untilGatewayAnswers(STALLED_API_URL!));

  test("503 from the function (Redis timed out) is retried, then fail-open allows marked degraded", async () => {
    const limiter = client({ baseUrl: STALLED_API_URL!, onUnavailable: "fail-open", timeoutMs: QUEUE_BUDGET_MS, retries: 1, retryDelayMs: 10 });
    const decision = await limiter.check({ creatorId: freshCreator("503-open"), tier: "pro", model: "gpt-4o", inputTokens: 100, maxOutputTokens: 800 });

    assert.equal(decision.allowed, true);
    assert.equal(decision.degraded, true);
    assert.equal(decision.status, undefined);
    assert.deepEqual([decision.unavailable?.reason, decision.unavailable?.status, decision.unavailable?.attempts], ["server-error", 503, 2]);
    assert.match(decision.unavailable?.detail ?? "", /Redis did not answer in time/);
    assert.equal(decision.maxOutputTokens, 800, "fail-open lets the call run as asked");
  });

  test("503 with fail-closed denies marked degraded, retry after 1 s", async () => {
    const limiter = client({ baseUrl: STALLED_API_URL!, onUnavailable: "fail-closed", timeoutMs: QUEUE_BUDGET_MS, retries: 0 });
    const result = await limiter.checkCreatorRateLimit(freshCreator("503-closed"), "pro");

    assert.equal(result.success, false);
    assert.equal(result.decision.degraded, true);
    assert.equal(result.decision.retryAfterSeconds, 1);
    assert.deepEqual([result.decision.unavailable?.status, result.decision.unavailable?.attempts], [503, 1]);
  });

  test("a timeout shorter than the function's Redis timeout answers fail-closed at once: denied, degraded", async () => {
    const limiter = client({ baseUrl: STALLED_API_URL!, onUnavailable: "fail-closed", timeoutMs: SHORT_TIMEOUT_MS, retries: 0 });
    const started = performance.now();
    const result = await limiter.checkCreatorRateLimit(freshCreator("timeout-closed"), "pro");
    const elapsed = performance.now() - started;

    assert.equal(result.success, false);
    assert.equal(result.reason, undefined);
    assert.deepEqual([result.decision.unavailable?.reason, result.decision.unavailable?.attempts], ["timeout", 1]);
    assert.ok(elapsed < SHORT_TIMEOUT_MS + 500, `answered in ${elapsed.toFixed(0)} ms, before the function's ${STALLED_REDIS_TIMEOUT_MS} ms`);
  });

  test("a timeout with fail-open allows after its retries, marked degraded, with Upstash's reason \"timeout\"", async () => {
    const limiter = client({ baseUrl: STALLED_API_URL!, onUnavailable: "fail-open", timeoutMs: SHORT_TIMEOUT_MS, retries: 2, retryDelayMs: 10 });
    const started = performance.now();
    const result = await limiter.checkCreatorRateLimit(freshCreator("timeout-open"), "pro");
    const elapsed = performance.now() - started;

    assert.equal(result.success, true);
    assert.equal(result.reason, "timeout");
    assert.equal(result.decision.degraded, true);
    assert.deepEqual([result.decision.unavailable?.reason, result.decision.unavailable?.attempts], ["timeout", 3]);
    assert.ok(elapsed < 3 * SHORT_TIMEOUT_MS + 1500, `three attempts in ${elapsed.toFixed(0)} ms`);
  });

  test("settle, release and limits throw RateLimitUnavailableError (no policy can invent their answer)", async () => {
    const limiter = client({ baseUrl: STALLED_API_URL!, timeoutMs: SHORT_TIMEOUT_MS, retries: 0 });
    const creatorId = freshCreator("stalled-settle");
    const error = await limiter.settle({ creatorId, tier: "pro", requestId: "r-1", model: "gpt-4o", inputTokens: 1, outputTokens: 1 })
      .then(() => assert.fail("must throw"), (e: unknown) => e);

    assert.ok(error instanceof RateLimitUnavailableError);
    assert.equal(error.unavailable.reason, "timeout");
    await assert.rejects(limiter.release({ creatorId, tier: "pro", requestId: "r-1" }), RateLimitUnavailableError);
    await assert.rejects(limiter.limits(creatorId, "pro"), RateLimitUnavailableError);
  });
});

describe("no answer from the network", () => {
  test("a refused connection is retried, then answered by the failure policy with reason network", async () => {
    const closedPort = await freePort();
    const limiter = client({ baseUrl: `http://127.0.0.1:${closedPort}`, onUnavailable: "fail-closed", retries: 2, retryDelayMs: 5,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    const decision = await limiter.check({ creatorId: "creator-123", tier: "pro" });

    assert.equal(decision.allowed, false);
    assert.deepEqual([decision.unavailable?.reason, decision.unavailable?.attempts], ["network", 3]);
    assert.match(decision.unavailable?.message ?? "", /ECONNREFUSED/);
  });

  test("the caller's abort is thrown as is: no retry, no failure policy", async () => {
    const closedPort = await freePort();
    const limiter = client({ baseUrl: `http://127.0.0.1:${closedPort}`, onUnavailable: "fail-open", retries: 5, retryDelayMs: 1000,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("request cancelled")), 100);

    await assert.rejects(limiter.check({ creatorId: "creator-123", tier: "pro" }, { signal: controller.signal }), /request cancelled/);
  });
});

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
