// The VTN of bench/server-floor.ts: serve-vtn.ts's VTN with two scratch routes at the root, so
// that they get every server-wide hook (request id, metrics, presence, audit, x-request-id, the
// lazy logger, the connection cap) and nothing of a binding:
//   POST /bench/fixed   answers the bytes of <file> (read at its first request) at once, marked
//                       a read as an oadrPoll is;
//   POST /bench/authed  the same after the 2.0b route's authentication (bearer token, verified
//                       once and then taken from the verifier's cache).
// Prints the base URL. With BENCH_CPU_PROF set, harness.ts runs it under --cpu-prof.
import { readFileSync } from "node:fs";
import { createVtn } from "@gridlink/vtn";

const [dataDir, file] = process.argv.slice(2);
let read: string | undefined;
const bytes = () => {
  read ??= readFileSync(file, "utf8");
  return read;
};
const vtn = await createVtn({
  dataDir,
  port: 0,
  host: "127.0.0.1",
  logLevel: "warn",
  demo: false,
  tokenRateLimitPerMinute: 0,
  mqttPort: 0,
});
const verifier = vtn.issuer;
if (!verifier) throw new Error("the floor bench needs the built-in token issuer");
vtn.app.register(async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.post("/bench/fixed", (req, reply) => {
    req.auditAsRead = true;
    return reply.type("application/xml; charset=utf-8").send(bytes());
  });
  app.post("/bench/authed", async (req, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    req.principal = verifier.cached(token) ?? (await verifier.verify(token));
    req.auditAsRead = true;
    return reply.type("application/xml; charset=utf-8").send(bytes());
  });
});
const url = await vtn.listen();
process.stdout.write(`${url}\n`);
process.on("SIGTERM", async () => {
  await vtn.close();
  process.exit(0);
});
