// Where the tests find the real local API (tools/local start-api, started by TypeScriptClientIT) and the
// credentials it verifies signatures with.
import { randomUUID } from "node:crypto";
import { createRateLimitClient, type RateLimitClient, type RateLimitClientOptions } from "../src/index.js";

const env = process.env;

/** The local API on a real redis-server. */
export const API_URL = env["RATE_LIMIT_TEST_API_URL"];
/** A second local API whose Redis accepts connections and never answers. */
export const STALLED_API_URL = env["RATE_LIMIT_TEST_STALLED_API_URL"];
/** The stalled API's REDIS_SOCKET_TIMEOUT_MS: the functions answer 503 after about this long. */
export const STALLED_REDIS_TIMEOUT_MS = Number(env["RATE_LIMIT_TEST_STALLED_REDIS_TIMEOUT_MS"] ?? "2000");
export const REGION = env["RATE_LIMIT_TEST_REGION"] ?? "us-east-1";

export const CREDENTIALS = {
  accessKeyId: env["AWS_ACCESS_KEY_ID"] ?? "",
  secretAccessKey: env["AWS_SECRET_ACCESS_KEY"] ?? "",
};

/** `describe`'s skip option: why the suite cannot run here, or false. */
export function needs(url: string | undefined, name: string): string | false {
  if (!url) {
    return `${name} is not set: run through TypeScriptClientIT (./mvnw verify -pl testing/acceptance ...), or start `
      + `tools/local start-api with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and set ${name}`;
  }
  if (!CREDENTIALS.accessKeyId || !CREDENTIALS.secretAccessKey) {
    return "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the local API's test credentials) are not set";
  }
  return false;
}

export function client(options: Partial<RateLimitClientOptions> = {}): RateLimitClient {
  return createRateLimitClient({ baseUrl: API_URL ?? "", region: REGION, credentials: CREDENTIALS, ...options });
}

/** A creator no other test uses: every test starts from full limits. */
export function freshCreator(label: string): string {
  return `ts-${label}-${randomUUID().slice(0, 8)}`;
}

/**
 * Waits until the API answers a signed status call: the functions' first request can be slow (a JVM
 * warming up), which a test's timeout must not mistake for an unavailable limiter.
 */
export async function untilAnswering(baseUrl: string, deadlineMs = 60_000): Promise<void> {
  const warm = client({ baseUrl, timeoutMs: 30_000, retries: 0 });
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await warm.limits("ts-warm-up", "pro");
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Waits until the gateway serves HTTP at all (a route that invokes no function). */
export async function untilGatewayAnswers(baseUrl: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await (await fetch(`${baseUrl}/nothing-here`)).arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
