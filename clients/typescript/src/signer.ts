import { Sha256 } from "@aws-crypto/sha256-js";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Credentials, CredentialsProvider } from "./config.js";

/** A request to sign: what API Gateway's IAM authorization checks. */
export interface UnsignedRequest {
  method: string;
  url: URL;
  /** the query, unencoded; signed as SigV4's canonical query */
  query: Readonly<Record<string, string>>;
  body: string | undefined;
}

/**
 * Signs requests with SigV4 for service execute-api: host, x-amz-date, content-type (when there is a
 * body) and the body's SHA-256 (x-amz-content-sha256), plus x-amz-security-token with temporary credentials.
 */
export class RequestSigner {
  private readonly signer: SignatureV4;

  constructor(region: string, credentials: Credentials | CredentialsProvider | undefined) {
    // defaultProvider memoizes the chain's credentials and refreshes them before they expire
    this.signer = new SignatureV4({
      service: "execute-api",
      region,
      credentials: credentials ?? defaultProvider(),
      sha256: Sha256,
    });
  }

  /** The headers to send (without host: fetch sets the same one from the URL). */
  async sign(request: UnsignedRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = { host: request.url.host };
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
    }
    const signed = await this.signer.sign({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      path: request.url.pathname,
      query: { ...request.query },
      headers,
      body: request.body,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
    });
    const sent: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name.toLowerCase() !== "host") {
        sent[name] = value;
      }
    }
    return sent;
  }
}

/** RFC 3986 encoding, as SigV4's canonical query encodes: the URL sent must carry the same bytes. */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(query).map(([name, value]) => `${strictEncode(name)}=${strictEncode(value)}`);
  return pairs.length === 0 ? "" : `?${pairs.join("&")}`;
}

function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
