// A loopback TCP proxy in front of the local API that holds the first connection's answer back: the
// client's attempt times out after the server has answered (and charged), as on a slow network.
import net from "node:net";

export interface SeenRequest {
  method: string;
  path: string;
  body: string;
}

export interface HoldingProxy {
  readonly url: string;
  /** every request that went through, in order */
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string, holdFirstAnswerMs: number): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    const hold = connections++ === 0 ? holdFirstAnswerMs : 0;
    const api = net.connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(api);
    let received: Buffer = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      received = record(Buffer.concat([received, chunk]), requests);
      api.write(chunk);
    });
    api.on("data", (chunk: Buffer) => {
      if (hold === 0) {
        client.write(chunk);
      } else {
        setTimeout(() => client.destroyed || client.write(chunk), hold).unref();
      }
    });
    const closeBoth = () => {
      client.destroy();
      api.destroy();
    };
    client.on("close", closeBoth).on("error", closeBoth);
    api.on("close", () => setTimeout(() => client.end(), hold).unref()).on("error", closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      sockets.forEach((socket) => socket.destroy());
      server.close(() => resolve());
    }),
  };
}

/** Takes every complete HTTP/1.1 request (Content-Length bodies) off the buffer; returns the rest. */
function record(buffer: Buffer, requests: SeenRequest[]): Buffer {
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
      return buffer;
    }
    const head = buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? "0");
    if (buffer.length < end + 4 + length) {
      return buffer;
    }
    const [method = "", path = ""] = head.split("\r\n", 1)[0]!.split(" ");
    requests.push({ method, path, body: buffer.subarray(end + 4, end + 4 + length).toString("utf8") });
    buffer = buffer.subarray(end + 4 + length);
  }
}
