// A bare Fastify server (no logger, no hooks) answering every POST with the bytes of
// <file>, its body taken as a string as the 2.0b binding takes it: Fastify's own share of the
// server's floor (bench/server-floor.ts). Prints its URL.
import { readFileSync } from "node:fs";
import Fastify from "fastify";

const [file] = process.argv.slice(2);
const bytes = readFileSync(file, "utf8");
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
app.post("/*", (_req, reply) => reply.type("application/xml; charset=utf-8").send(bytes));
const addr = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${addr}\n`);
process.on("SIGTERM", () => process.exit(0));
