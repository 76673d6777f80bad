// A loopback HTTP proxy in front of a real VTN that answers the next requests with faults
// (an error status, or a dropped connection) before it lets requests through again.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = 500 | 502 | 503 | 429 | "drop";

export interface FaultProxy {
  /** The VTN base URL as seen through the proxy. */
  url: string;
  /** Faults for the next requests, in order. */
  inject(...faults: Fault[]): void;
  /** Method and path of every request that reached the proxy. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const queue: Fault[] = [];
  const seen: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push(`${req.method} ${req.url}`);
    const fault = queue.shift();
    if (fault === "drop") return req.socket.destroy();
    if (fault !== undefined) {
      res.writeHead(fault, {
        "content-type": "application/problem+json",
        ...(fault === 429 ? { "retry-after": "0" } : {}),
      });
      return res.end(JSON.stringify({ title: "injected", status: fault, detail: `fault ${fault}` }));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers[k] = v;
    const r = await fetch(`${upstream.origin}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    inject: (...f) => queue.push(...f),
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
