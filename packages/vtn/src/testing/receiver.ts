// A webhook receiver on loopback for any test that subscribes: it answers the echo check
// (openadr3.yaml notifier doc, the `echo` query at subscription create), records what it
// received, and its answers to notifications can be scripted (status, delay, headers).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: notification bodies are untyped JSON in tests
  body: any;
  at: number;
}

export interface ReceiverOptions {
  /** Answer to the n-th notification (0-based): status and delay in ms. Default 200 at once. */
  answer?: (n: number, r: Received) => { status?: number; delayMs?: number; headers?: Record<string, string> };
  /** Answer to the echo check; default: 200 with the echo value. */
  echo?: (value: string) => { status: number; body: string };
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:PORT; callback URLs are `${url}/any/path`. */
  url: string;
  /** `${url}/callback`, for tests that need one callback URL and do not care which. */
  callbackUrl: string;
  received: Received[];
  echoes: number;
  /** Resolves when `n` notifications were received (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let count = 0;
  const r: Receiver = {
    url: "",
    callbackUrl: "",
    received,
    echoes: 0,
    waitFor(n, ms = 8000) {
      if (received.length >= n) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} notifications, expected ${n} within ${ms} ms`)),
          ms,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET") {
        const value = url.searchParams.get("echo") ?? "";
        r.echoes++;
        const a = opts.echo?.(value) ?? { status: 200, body: value };
        res.writeHead(a.status, { "content-type": "text/plain" });
        res.end(a.body);
        return;
      }
      const text = Buffer.concat(chunks).toString("utf8");
      const rec: Received = {
        path: url.pathname,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
        at: Date.now(),
      };
      const a = opts.answer?.(count++, rec) ?? {};
      const respond = () => {
        const status = a.status ?? 200;
        if (status >= 200 && status < 300) {
          received.push(rec);
          for (const w of [...waiters])
            if (received.length >= w.n) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve();
            }
        }
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json", ...a.headers });
        res.end("{}");
      };
      if (a.delayMs) setTimeout(respond, a.delayMs);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.callbackUrl = `${r.url}/callback`;
  return r;
}

/** @deprecated the same receiver under its older name: use `startReceiver()` and its `callbackUrl`. */
export async function startCallbackServer(): Promise<{ url: string; close(): Promise<void> }> {
  const r = await startReceiver();
  return { url: r.callbackUrl, close: () => r.close() };
}
