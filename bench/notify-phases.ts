// Where the notifier's time goes per phase for one event to N webhook subscribers (issue 13): the
// notifier's own parts (FanOut, Outbox, core's policy, Dispatcher, Deliveries) on a copy of the
// seed that bench/notify-webhooks.ts keeps (--seed-cache), in this process, one phase after the
// other, each timed where it calls the database or core:
//   fan-out   subscriptions page, readers, grants (core's cache), audience (core's viewFor), insert
//   dispatch  claim, claim of one endpoint, bodies, record (marking delivered), next due
// The dispatcher's transport answers at once (no HTTP): what is left is the notifier's own cost per
// delivery, which is what must not grow with the table. Two events in a row (the second finds
// core's caches as the first left them), as the bench's "next event".
//   npx tsx bench/notify-phases.ts --vens 100000 --seed-cache /tmp/fanout-seed [--events 2]
// It also prints SQLite's plan of the claim and record queries on the filled table.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ClientRegistry } from "../packages/vtn/src/auth/clients.ts";
import { authTables } from "../packages/vtn/src/auth/schema.ts";
import { cimTables } from "../packages/vtn/src/bindings/cim/schema.ts";
import { oadr2bTables } from "../packages/vtn/src/bindings/oadr2b/schema.ts";
import { DEFAULTS } from "../packages/vtn/src/config.ts";
import { createPolicy } from "../packages/vtn/src/core/index.ts";
import { quotaTables } from "../packages/vtn/src/core/quota.ts";
import { Deliveries } from "../packages/vtn/src/notify/deliveries.ts";
import { Dispatcher } from "../packages/vtn/src/notify/dispatcher.ts";
import { FanOut } from "../packages/vtn/src/notify/fanout.ts";
import { Outbox } from "../packages/vtn/src/notify/outbox.ts";
import { notifyTables } from "../packages/vtn/src/notify/schema.ts";
import { openStore, sqliteFile } from "../packages/vtn/src/store/open.ts";
import type { Change } from "../packages/vtn/src/store/types.ts";
import { benchEvent } from "./support/notify-probe.ts";
import { log, numberArg } from "./support/setup.ts";

const VENS = numberArg("vens", 10_000);
const EVENTS = numberArg("events", 2);
const cacheArg = process.argv.indexOf("--seed-cache");
const SEED_CACHE = cacheArg > 0 ? process.argv[cacheArg + 1] : undefined;
if (!SEED_CACHE || !existsSync(join(SEED_CACHE, "seed.json")))
  throw new Error("--seed-cache <dir> of a seed made by bench/notify-webhooks.ts is needed");

/** Accumulated wall time and calls per phase. */
class Phases {
  readonly ms = new Map<string, { ms: number; calls: number }>();
  /** Replaces `obj[name]` (an async method) by one that adds its time to `phase`. */
  time<T extends object>(obj: T, name: string, phase: string): void {
    const o = obj as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const inner = o[name].bind(obj);
    o[name] = async (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return await inner(...args);
      } finally {
        const p = this.ms.get(phase) ?? { ms: 0, calls: 0 };
        p.ms += performance.now() - t0;
        p.calls++;
        this.ms.set(phase, p);
      }
    };
  }
  report(title: string, wallMs: number): string[] {
    const out = [`  ${title}: ${(wallMs / 1000).toFixed(2)} s`];
    for (const [k, v] of this.ms)
      out.push(
        `    ${k.padEnd(22)} ${(v.ms / 1000).toFixed(2).padStart(6)} s  ${String(v.calls).padStart(6)} calls  ${((v.ms / v.calls) * 1000).toFixed(0).padStart(7)} µs/call`,
      );
    this.ms.clear();
    return out;
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-bench-phases-"));
  cpSync(join(SEED_CACHE as string, "data"), dataDir, { recursive: true });
  const config = { ...DEFAULTS, dataDir };
  const store = await openStore(config, [authTables, notifyTables, cimTables, oadr2bTables, quotaTables], {
    migrate: false,
  });
  try {
    const policy = createPolicy(store);
    const clients = new ClientRegistry(store);
    const outbox = new Outbox(store, (ids) => clients.standing(ids));
    const deliveries = new Deliveries(store);
    const phases = new Phases();
    phases.time(outbox, "subscriptions", "subscriptions page");
    phases.time(outbox, "readers", "readers");
    phases.time(outbox, "step", "insert deliveries");
    phases.time(policy.audience, "viewFor", "audience (core)");
    const fanout = new FanOut(outbox, policy, {
      mqtt: () => false,
      subscriptionPage: 500,
      venPage: 500,
      onDeliveries: () => {},
      onError: (err) => {
        throw err;
      },
    });
    phases.time(fanout, "warmGrants", "grants (core cache)");
    for (const name of ["claim", "claimEndpoint", "bodies", "record", "nextDue"] as const)
      phases.time(deliveries, name, name === "record" ? "record (delivered)" : name);
    const { programId } = JSON.parse(readFileSync(join(SEED_CACHE as string, "seed.json"), "utf8")) as {
      programId: string;
    };
    const out: string[] = [`notifier phases, one event to ${VENS.toLocaleString("en")} webhook subscribers`];
    for (let e = 1; e <= EVENTS; e++) {
      const event = {
        ...benchEvent(programId),
        id: `phase-event-${e}`,
        objectType: "EVENT",
        createdDateTime: new Date().toISOString(),
        modificationDateTime: new Date().toISOString(),
      };
      await store.write((tx) => Outbox.record(tx, [{ kind: "EVENT", operation: "CREATE", object: event } as Change]));
      let t0 = performance.now();
      await fanout.wake();
      out.push(...phases.report(`event ${e}, fan-out`, performance.now() - t0));
      let sent = 0;
      let done: () => void = () => {};
      const all = new Promise<void>((r) => {
        done = r;
      });
      const ok = async () => {
        if (++sent === VENS) done();
        return { ok: true, status: 200 };
      };
      const dispatcher = new Dispatcher(
        deliveries,
        { WEBHOOK: ok, MQTT: undefined, OADR2B: undefined, CIM: undefined },
        {
          concurrency: config.webhookConcurrency,
          perEndpoint: () => config.webhookConcurrencyPerEndpoint,
          retry: () => ({ maxAttempts: 3, baseMs: 1000, maxMs: 60_000 }),
          pollMs: 1000,
          onError: (err) => {
            throw err;
          },
        },
      );
      t0 = performance.now();
      await dispatcher.start();
      await all;
      await dispatcher.stop();
      out.push(...phases.report(`event ${e}, dispatch (transport answers at once)`, performance.now() - t0));
    }
    {
      const db = new Database(sqliteFile(dataDir), { readonly: true });
      out.push("  plans on the filled table:");
      for (const q of [
        "select seq from notify_deliveries where state = 'PENDING' and next_at <= 0 order by next_at, seq limit 500",
        "select seq from notify_deliveries where endpoint = 'x' and state = 'PENDING' and next_at <= 0 order by next_at, seq limit 64",
        "select min(next_at) from notify_deliveries where state = 'PENDING'",
      ])
        out.push(`    ${q}\n      ${JSON.stringify(db.prepare(`explain query plan ${q}`).all())}`);
      db.close();
    }
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

log(`gridlink bench: notifier phases at ${VENS} subscribers`);
await main();
