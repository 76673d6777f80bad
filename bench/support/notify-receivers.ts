// Webhook receivers for the notification benchmark, in their own process: `count` HTTP servers on
// 127.0.0.1 that answer the echo check and count notifications (once per webhook-id). A control
// server answers GET /stats and POST /reset. Prints {"control": url, "receivers": [urls]}. With a
// second argument the receivers listen on that port and the next ones (a reused seed's callbacks).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const count = Number(process.argv[2] ?? 100);
const basePort = Number(process.argv[3] ?? 0);
let seen = new Set<string>();
let posts = 0;
let firstAt = 0;
let lastAt = 0;

function receiver(req: IncomingMessage, res: ServerResponse) {
  if (req.method === "GET") {
    const echo = new URL(req.url ?? "/", "http://x").searchParams.get("echo") ?? "";
    res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(echo) });
    res.end(echo);
    return;
  }
  req.on("data", () => {});
  req.on("end", () => {
    posts++;
    const id = req.headers["webhook-id"];
    if (typeof id === "string" && !seen.has(id)) {
      seen.add(id);
      lastAt = Date.now();
      if (!firstAt) firstAt = lastAt;
    }
    res.writeHead(204);
    res.end();
  });
}

const listen = (handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0) =>
  new Promise<string>((resolve, reject) => {
    const s = createServer({ keepAliveTimeout: 30_000 }, handler);
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`));
  });

const receivers: string[] = [];
for (let i = 0; i < count; i++) receivers.push(await listen(receiver, basePort > 0 ? basePort + i : 0));
const control = await listen((req, res) => {
  if (req.method === "POST") {
    seen = new Set();
    posts = 0;
    firstAt = 0;
    lastAt = 0;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ unique: seen.size, posts, firstAt, lastAt }));
});
process.stdout.write(`${JSON.stringify({ control, receivers })}\n`);
process.on("SIGTERM", () => process.exit(0));
