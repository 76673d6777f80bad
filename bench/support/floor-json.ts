// The floor of 3.1 report ingest, beside the bare ceiling: a bare node:http server doing only what
// every conforming server must do with a POST /reports before its 201, then answering the same
// fixed bytes: JSON.parse of the body, its check against openadr3.yaml's reportRequest (the same
// AJV validator core uses, @gridlink/model), and a durable write of it: an INSERT of the text into
// a SQLite database of its own (WAL, synchronous=NORMAL, as the store), the requests that arrive
// together committed in one transaction before any of them is answered (a group commit, as the
// store's writer does). Its ratio to the bare ceiling is the most a server doing that work, and
// nothing else, reaches on this machine, measured in the same run. Prints its URL.
//   tsx bench/support/floor-json.ts <answer file> <status> <data dir>
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { validate } from "../../packages/model/src/schema.ts";

const [file, status, dir] = process.argv.slice(2);
const bytes = readFileSync(file);
const db = new Database(join(dir, "floor-json.sqlite"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
// No checkpoint during the run (the VTN runs its checkpoints on a thread of their own): a floor
// must do no more than a server has to.
db.pragma("wal_autocheckpoint = 0");
db.exec("create table if not exists reports (seq integer primary key, body text not null)");
const insert = db.prepare("insert into reports (body) values (?)");

/** Checked bodies waiting for the next commit, with the answers that wait for it. */
let batch: Array<{ text: string; res: ServerResponse }> = [];

function commit(): void {
  const done = batch;
  batch = [];
  db.transaction(() => {
    for (const b of done) insert.run(b.text);
  })();
  for (const b of done) {
    b.res.writeHead(Number(status), { "content-type": "application/json", "content-length": bytes.length });
    b.res.end(bytes);
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    let errors: unknown[];
    try {
      errors = validate("reportRequest", JSON.parse(text));
    } catch {
      errors = ["not JSON"];
    }
    if (errors.length > 0) {
      // A floor that skipped its work would be no floor: the bench counts these as non-2xx.
      res.writeHead(400).end();
      return;
    }
    if (batch.length === 0) setImmediate(commit);
    batch.push({ text, res });
  });
});
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") process.stdout.write(`http://127.0.0.1:${a.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
