// A floor beside a ceiling: the bare node:http server of bare-server.ts that first does the work
// every 2.0b server must do with each request body, then answers the same fixed bytes: the
// binding's own first step (oadr2b/parse-memo.ts validatedMessage: the guard, libxml2's parse and
// oadr_20b.xsd validation, the tree read from that document). With `write`, each request also
// commits one UPDATE of one row in a SQLite database of its own (WAL, synchronous=NORMAL, as the
// VTN's store), as a due poll marks its distribution as given. Its ratio to the bare ceiling is
// the most a server doing that work, and nothing else, can reach on this machine, measured in
// the same run. Prints its URL.
//   tsx bench/support/floor-server.ts <answer file> <status> <content type> [write <dir>]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { LIMITS } from "../../packages/vtn/src/bindings/oadr2b/index.ts";
import { validatedMessage } from "../../packages/vtn/src/bindings/oadr2b/parse-memo.ts";
import { oadr20bSchema } from "../../packages/vtn/src/bindings/oadr2b/schema-file.ts";

const [file, status, contentType, write, dir] = process.argv.slice(2);
const bytes = readFileSync(file);
const schema = oadr20bSchema();
const mark = write === "write" ? markStatement(dir) : undefined;
let marks = 0;

/** One row per VEN of the bench (1,000); each request marks the next one, in a commit of its own. */
function markStatement(at: string) {
  const db = new Database(join(at, "floor.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // No checkpoint during the run (the VTN runs its checkpoints on a thread of their own): a floor
  // must do no more than a server has to.
  db.pragma("wal_autocheckpoint = 0");
  db.exec("create table if not exists marks (id integer primary key, distributed text)");
  const add = db.prepare("insert or ignore into marks (id) values (?)");
  db.transaction(() => {
    for (let id = 0; id < 1000; id++) add.run(id);
  })();
  const update = db.prepare("update marks set distributed = ? where id = ?");
  return (n: number) => update.run(`fingerprint-${n}`, n % 1000);
}
let refused = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    try {
      validatedMessage(schema, text, LIMITS);
      mark?.(marks++);
    } catch (err) {
      // A floor that skipped its work would be no floor: the bench counts these as non-2xx.
      if (refused++ === 0) process.stderr.write(`floor-server: refused a body: ${(err as Error).message}\n`);
      res.writeHead(400).end();
      return;
    }
    res.writeHead(Number(status), { "content-type": contentType, "content-length": bytes.length });
    res.end(bytes);
  });
});
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") process.stdout.write(`http://127.0.0.1:${a.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
