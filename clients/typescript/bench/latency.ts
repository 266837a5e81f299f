// End-to-end latency of the client against the local API, measured client-side, sequentially after a
// warm-up: signed checks, an unsigned request the gateway answers without a function (the floor), and
// the signing alone. TypeScriptClientIT runs it after the tests; the README quotes its output.
import { randomUUID } from "node:crypto";
import { createRateLimitClient } from "../src/index.js";
import { RequestSigner } from "../src/signer.js";

const env = process.env;
const baseUrl = env["RATE_LIMIT_TEST_API_URL"];
const credentials = { accessKeyId: env["AWS_ACCESS_KEY_ID"] ?? "", secretAccessKey: env["AWS_SECRET_ACCESS_KEY"] ?? "" };
const samples = Number(env["RATE_LIMIT_LATENCY_SAMPLES"] ?? "300");
const warmUp = Number(env["RATE_LIMIT_LATENCY_WARM_UP"] ?? "30");
if (!baseUrl || !credentials.accessKeyId) {
  console.error("Set RATE_LIMIT_TEST_API_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (TypeScriptClientIT does)");
  process.exit(2);
}

const limiter = createRateLimitClient({ baseUrl, region: env["RATE_LIMIT_TEST_REGION"] ?? "us-east-1", credentials,
  timeoutMs: 10_000, retries: 0 });
// enterprise allows 600 requests a minute; 20 creators keep every check of the run allowed
const run = randomUUID().slice(0, 8);
const creators = Array.from({ length: 20 }, (_, i) => `ts-latency-${run}-${i}`);

async function measure(name: string, count: number, once: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < warmUp; i++) {
    await once(i);
  }
  const millis: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once(i);
    millis.push(performance.now() - started);
  }
  millis.sort((a, b) => a - b);
  const at = (q: number) => millis[Math.min(millis.length - 1, Math.ceil(q * millis.length) - 1)]!.toFixed(2);
  console.log(`${name.padEnd(58)} n=${count}  p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms  max ${at(1)} ms`);
}

let denied = 0;
await measure("signed POST /v1/check (enterprise, 1 request)", samples, async (i) => {
  const decision = await limiter.check({ creatorId: creators[i % creators.length]!, tier: "enterprise" });
  if (!decision.allowed || decision.degraded) denied++;
});
await measure("unsigned GET /nothing-here (gateway only, no function)", samples, async () => {
  await (await fetch(`${baseUrl}/nothing-here`)).arrayBuffer();
});
const signer = new RequestSigner("us-east-1", credentials);
const url = new URL(`${baseUrl}/v1/check`);
await measure("SigV4 signing alone (no request)", samples, async () => {
  await signer.sign({ method: "POST", url, query: {}, body: '{"creatorId":"creator-123","tier":"pro","requestId":"r"}' });
});
console.log(`Node.js ${process.version}, ${samples} sequential calls after ${warmUp} warm-up calls each; ${denied} checks not allowed`);
if (denied > 0) {
  process.exitCode = 1;
}
