// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
// takes the WAL past 1,000 pages, on the committing connection: with better-sqlite3 that is the
// API thread, held for the copy of the WAL into the database and its fsyncs (about 18 ms a
// time; three quarters of all commit time under report ingest, bench/RESULTS.md issue 13). Here
// the write connection's automatic checkpoint is off and a worker thread with a connection of its
// own checkpoints instead, after commits. Durability is the WAL's, as before: a commit is in the
// WAL (written, synchronous=NORMAL) before the API answers; a checkpoint only moves committed
// pages into the database file (https://www.sqlite.org/wal.html#checkpointing).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** Plain JavaScript (no loader needed in the worker, from the sources or the bundle). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
parentPort.on("message", (m) => {
  if (m === "close") {
    db.close();
    parentPort.close();
    return;
  }
  let pages = 0;
  try {
    // PASSIVE: as many frames as no reader still needs, without waiting for readers or writers.
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    pages = r.checkpointed;
  } catch {}
  parentPort.postMessage(pages);
});
`;

/** Least time between two checkpoints: bounds their fsyncs under load. */
const INTERVAL_MS = 200;
/** A checkpoint at least this often: commits outside `Store.write` (module tables) grow the WAL too. */
const IDLE_MS = 1000;

export class Checkpointer {
  private readonly worker: Worker;
  private running = false;
  private wanted = false;
  private timer?: NodeJS.Timeout;
  private last = 0;
  private closed = false;
  private exited = false;
  private readonly idle: NodeJS.Timeout;
  /** Pages moved into the database file so far (for tests and diagnosis). */
  checkpointed = 0;
  /** Waiting for a checkpoint not begun yet; waiting for the one running. */
  private waiters: Array<() => void> = [];
  private inFlight: Array<() => void> = [];

  /** `failed`: the worker is gone (it could not open the database): checkpoint as SQLite does by itself. */
  constructor(file: string, failed: () => void) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, driver } });
    this.worker.unref();
    this.worker.on("message", (pages: number) => {
      this.checkpointed += pages;
      this.running = false;
      this.last = Date.now();
      for (const w of this.inFlight.splice(0)) w();
      if (this.wanted) this.schedule();
    });
    this.worker.once("exit", () => {
      this.exited = true;
      if (this.closed) return;
      this.closed = true;
      failed();
      for (const w of [...this.inFlight.splice(0), ...this.waiters.splice(0)]) w();
    });
    this.worker.on("error", () => {});
    this.idle = setInterval(() => this.poke(), IDLE_MS);
    this.idle.unref();
  }

  /** Something was committed: checkpoint soon (at most one at a time, INTERVAL_MS apart). */
  poke(): void {
    if (this.closed) return;
    this.wanted = true;
    if (!this.running && !this.timer) this.schedule();
  }

  private schedule(): void {
    const wait = Math.max(0, this.last + INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      this.wanted = false;
      this.running = true;
      this.inFlight = this.waiters;
      this.waiters = [];
      this.worker.postMessage("checkpoint");
    }, wait);
    this.timer.unref();
  }

  /** Resolves after a checkpoint begun after this call has run (tests). */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.poke();
    });
  }

  /** Stops the worker (its connection closed) before the store's own connections close. */
  async close(): Promise<void> {
    clearInterval(this.idle);
    if (this.timer) clearTimeout(this.timer);
    if (this.closed) return;
    this.closed = true;
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once("exit", resolve));
    this.worker.ref(); // held until it has closed its connection
    this.worker.postMessage("close");
    await exited;
  }
}
