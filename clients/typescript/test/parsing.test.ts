import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRateLimitClient, parseList, parseRateLimitHeaders, parseRetryAfter } from "../src/index.js";
import { backoff } from "../src/transport.js";

describe("RateLimit and RateLimit-Policy headers (structured field lists)", () => {
  test("the function's headers parse into policies and states", () => {
    const headers = new Headers({
      "RateLimit-Policy": '"requests-per-minute";q=60;w=60, "tokens-per-minute";q=200000;w=60;qu="tokens", '
        + '"usd-per-month";q=20000000;w=2592000;x-unit="usd-micros", "generations-in-flight";q=3;qu="concurrent-requests"',
      "RateLimit": '"requests-per-minute";r=59;t=60, "generations-in-flight";r=2;t=300',
      "Retry-After": "7",
      "X-RateLimit-Limit": "60",
      "X-RateLimit-Remaining": "59",
      "X-RateLimit-Reset": "60",
    });
    const parsed = parseRateLimitHeaders(headers);

    assert.deepEqual(parsed.policies.map((p) => [p.name, p.quota, p.windowSeconds, p.quotaUnit]), [
      ["requests-per-minute", 60, 60, undefined],
      ["tokens-per-minute", 200000, 60, "tokens"],
      ["usd-per-month", 20000000, 2592000, undefined],
      ["generations-in-flight", 3, undefined, "concurrent-requests"],
    ]);
    assert.equal(parsed.policies[2]?.params["x-unit"], "usd-micros");
    assert.deepEqual(parsed.states.map((s) => [s.name, s.remaining, s.resetSeconds]), [["requests-per-minute", 59, 60], ["generations-in-flight", 2, 300]]);
    assert.deepEqual([parsed.retryAfterSeconds, parsed.limit, parsed.remaining, parsed.resetSeconds], [7, 60, 59, 60]);
  });

  test("strings with escapes, tokens, booleans, decimals and bare parameters follow RFC 9651", () => {
    assert.deepEqual(parseList('"a\\"b";x;y=?0;z=1.5, tok/en;p=:AQI=:'), [
      { value: 'a"b', params: { x: true, y: false, z: 1.5 } },
      { value: "tok/en", params: { p: "AQI=" } },
    ]);
    assert.deepEqual(parseList("  "), []);
  });

  test("a field that breaks the syntax is ignored as a whole, never thrown", () => {
    for (const bad of ['"unterminated;q=1', '"a";q=1,', '"a";Q=1', '"a";q=1 "b"', '"a"; q=\u00e9']) {
      assert.equal(parseList(bad), undefined, bad);
    }
    assert.deepEqual(parseRateLimitHeaders(new Headers({ RateLimit: '"a";r=1,,' })).states, []);
  });

  test("an item without a quota or remaining count is left out", () => {
    const parsed = parseRateLimitHeaders(new Headers({ "RateLimit-Policy": '"a";w=60, "b";q=5', RateLimit: '"a";t=5' }));
    assert.deepEqual(parsed.policies.map((p) => p.name), ["b"]);
    assert.deepEqual(parsed.states, []);
  });

  test("Retry-After takes seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("120", now), 120);
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now), 30);
    assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});

describe("client configuration", () => {
  const valid = { baseUrl: "https://abc123.execute-api.us-east-1.amazonaws.com", region: "us-east-1" };

  test("a bad option fails at creation with a message naming it", () => {
    assert.throws(() => createRateLimitClient({ ...valid, baseUrl: "abc123.execute-api" }), /baseUrl must be an absolute http\(s\) URL/);
    assert.throws(() => createRateLimitClient({ ...valid, baseUrl: "ftp://host" }), /baseUrl must be an http\(s\) URL/);
    assert.throws(() => createRateLimitClient({ ...valid, region: "" }), /region must name an AWS region/);
    assert.throws(() => createRateLimitClient({ ...valid, timeoutMs: 0 }), /timeoutMs must be a whole number from 1 to 60000/);
    assert.throws(() => createRateLimitClient({ ...valid, retries: 6 }), /retries must be a whole number from 0 to 5/);
    assert.throws(() => createRateLimitClient({ ...valid, onUnavailable: "allow" as "fail-open" }), /onUnavailable must be/);
  });

  test("backoff doubles from the base with jitter between half and all of it, at most 1 s", () => {
    for (let i = 0; i < 50; i++) {
      const first = backoff(50, 1);
      const third = backoff(50, 3);
      const tenth = backoff(50, 10);
      assert.ok(first >= 25 && first <= 50, `first ${first}`);
      assert.ok(third >= 100 && third <= 200, `third ${third}`);
      assert.ok(tenth >= 500 && tenth <= 1000, `tenth ${tenth}`);
    }
  });
});
