// A floor beside a ceiling: the bare node:http server of bare-server.ts that first does the work
// every conforming server must do with each request body, then answers the same fixed bytes. Its
// ratio to the bare ceiling is the most a server doing that work, and nothing else, can reach on
// this machine, measured in the same run. The work, by its name:
//   xsd     the 2.0b binding's own first step (oadr2b/parse-memo.ts validatedMessage: the guard,
//           libxml2's parse and oadr_20b.xsd validation, the tree read from that document);
//   mark    the same, then one UPDATE of one of 1,000 rows committed on its own, as a due oadrPoll
//           marks its distribution as given;
//   report  JSON.parse of a 3.1 POST /reports body, its check against openadr3.yaml's
//           reportRequest (the AJV validator core uses, @gridlink/model), and a durable INSERT of
//           its text; the requests that arrive together are committed in one transaction before
//           any of them is answered (a group commit, as the store's writer does).
//   report-pg  the same with the INSERT into PostgreSQL: <dir> is then the database's URL, and
//           the reports that arrive while one commit is under way go in the next, one statement
//           each (as the PostgreSQL store's writer batches them).
// The SQLite database is its own, in <dir>, set as the VTN's store (WAL, synchronous=NORMAL) but
// with no checkpoint during the run (the VTN runs its checkpoints on a thread of their own): a
// floor must do no more than a server has to. Prints its URL.
//   tsx bench/support/floor-server.ts <answer file> <status> <content type> <xsd|mark|report|report-pg> <dir|url>
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { validate } from "../../packages/model/src/schema.ts";
import { LIMITS } from "../../packages/vtn/src/bindings/oadr2b/index.ts";
import { validatedMessage } from "../../packages/vtn/src/bindings/oadr2b/parse-memo.ts";
import { oadr20bSchema } from "../../packages/vtn/src/bindings/oadr2b/schema-file.ts";

const [file, status, contentType, workName, dir] = process.argv.slice(2);
const bytes = readFileSync(file);

/** Checks `text` (throws to refuse it), then calls `answer` once what it must keep is durable. */
type Work = (text: string, answer: () => void) => void;

function database(schema: string): Database.Database {
  const db = new Database(join(dir, "floor.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec(schema);
  return db;
}

function xsdWork(): Work {
  const schema = oadr20bSchema();
  return (text, answer) => {
    validatedMessage(schema, text, LIMITS);
    answer();
  };
}

function markWork(): Work {
  const check = xsdWork();
  const db = database("create table if not exists marks (id integer primary key, distributed text)");
  const add = db.prepare("insert or ignore into marks (id) values (?)");
  db.transaction(() => {
    for (let id = 0; id < 1000; id++) add.run(id);
  })();
  const update = db.prepare("update marks set distributed = ? where id = ?");
  let marks = 0;
  return (text, answer) =>
    check(text, () => {
      const n = marks++;
      update.run(`fingerprint-${n}`, n % 1000);
      answer();
    });
}

function reportWork(): Work {
  const db = database("create table if not exists reports (seq integer primary key, body text not null)");
  const insert = db.prepare("insert into reports (body) values (?)");
  let batch: Array<{ text: string; answer: () => void }> = [];
  const commit = () => {
    const done = batch;
    batch = [];
    db.transaction(() => {
      for (const b of done) insert.run(b.text);
    })();
    for (const b of done) b.answer();
  };
  return (text, answer) => {
    checkReport(text);
    if (batch.length === 0) setImmediate(commit);
    batch.push({ text, answer });
  };
}

/** The report's JSON.parse and schema check, as core does them (throws to refuse). */
function checkReport(text: string): void {
  const errors = validate("reportRequest", JSON.parse(text));
  if (errors.length > 0) throw new Error(`${errors[0].path}: ${errors[0].message}`);
}

function reportPgWork(): Work {
  const client = new pg.Client({ connectionString: dir });
  const ready = client
    .connect()
    .then(() =>
      client.query("create table if not exists floor_reports (seq bigserial primary key, body text not null)"),
    );
  let batch: Array<{ text: string; answer: () => void }> = [];
  let committing = false;
  const commit = async () => {
    committing = true;
    await ready;
    while (batch.length > 0) {
      const done = batch;
      batch = [];
      await client.query("insert into floor_reports (body) select unnest($1::text[])", [done.map((b) => b.text)]);
      for (const b of done) b.answer();
    }
    committing = false;
  };
  return (text, answer) => {
    checkReport(text);
    batch.push({ text, answer });
    if (!committing)
      commit().catch((err) => {
        process.stderr.write(`floor-server: the INSERT failed: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
}

const works: Record<string, () => Work> = {
  xsd: xsdWork,
  mark: markWork,
  report: reportWork,
  "report-pg": reportPgWork,
};
if (!works[workName]) throw new Error(`floor-server: the work is one of ${Object.keys(works).join(", ")}`);
const work = works[workName]();
let refused = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      work(Buffer.concat(chunks).toString("utf8"), () => {
        res.writeHead(Number(status), { "content-type": contentType, "content-length": bytes.length });
        res.end(bytes);
      });
    } catch (err) {
      // A floor that skipped its work would be no floor: the bench counts these as non-2xx.
      if (refused++ === 0) process.stderr.write(`floor-server: refused a body: ${(err as Error).message}\n`);
      res.writeHead(400).end();
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") process.stdout.write(`http://127.0.0.1:${a.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
