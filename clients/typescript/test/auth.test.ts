import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { RateLimitApiError } from "../src/index.js";
import { API_URL, client, CREDENTIALS, freshCreator, needs, untilAnswering } from "./local-api.js";

// What API Gateway's IAM authorization answers, word for word (the local API checks signatures the same way).
const FORBIDDEN = "Forbidden";
const SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided. Check your"
  + " AWS Secret Access Key and signing method. Consult the service documentation for details.";
const UNKNOWN_KEY = "The security token included in the request is invalid.";

const skip = needs(API_URL, "RATE_LIMIT_TEST_API_URL");

describe("IAM authorization (SigV4) as the local API verifies it", { skip }, () => {
  before(() => untilAnswering(API_URL!));

  test("an unsigned check is refused with 403 {\"message\": \"Forbidden\"}", async () => {
    const response = await fetch(`${API_URL}/v1/check`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ creatorId: freshCreator("unsigned"), tier: "pro" }) });

    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { message: FORBIDDEN });
  });

  test("a check signed with the wrong secret is a RateLimitApiError 403 saying the signature does not match", async () => {
    const wrongSecret = client({ credentials: { ...CREDENTIALS, secretAccessKey: `${CREDENTIALS.secretAccessKey}x` } });
    const error = await wrongSecret.check({ creatorId: freshCreator("wrong-secret"), tier: "pro" })
      .then(() => assert.fail("a wrong signature must be refused"), (e: unknown) => e);

    assert.ok(error instanceof RateLimitApiError);
    assert.equal(error.status, 403);
    assert.equal(error.message, SIGNATURE_MISMATCH);
    assert.equal(error.type, undefined);
  });

  test("a check signed with an unknown access key is refused as an invalid security token", async () => {
    const unknownKey = client({ credentials: { accessKeyId: "AKIAUNKNOWNTESTKEY00", secretAccessKey: CREDENTIALS.secretAccessKey } });
    const error = await unknownKey.checkCreatorRateLimit(freshCreator("unknown-key"), "pro")
      .then(() => assert.fail("an unknown access key must be refused"), (e: unknown) => e);

    assert.ok(error instanceof RateLimitApiError);
    assert.equal(error.status, 403);
    assert.equal(error.message, UNKNOWN_KEY);
  });

  test("a refused signature is never retried and charges nothing", async () => {
    const creatorId = freshCreator("refused");
    const wrongSecret = client({ credentials: { ...CREDENTIALS, secretAccessKey: "not-the-secret" }, retries: 3 });
    await assert.rejects(wrongSecret.check({ creatorId, tier: "pro" }), RateLimitApiError);
    const status = await client().limits(creatorId, "pro");

    assert.equal(status.limits.find((l) => l.name === "requests-per-minute")?.remaining, 60);
  });
});
