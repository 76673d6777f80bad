// The notifier's worker thread: its own SQLite connection, its own copy of core's grants, the
// token verifier for the MQTT broker, and the engine. Talks to the main thread only through
// worker-protocol messages.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import { ClientRegistry } from "../auth/clients.ts";
import { RevocationWatch } from "../auth/revocation.ts";
import { authTables } from "../auth/schema.ts";
import { BuiltinIssuer, ExternalVerifier, type TokenVerifier } from "../auth/tokens.ts";
import { cimTables } from "../bindings/cim/schema.ts";
import { oadr2bTables } from "../bindings/oadr2b/schema.ts";
import { createPolicy } from "../core/index.ts";
import { quotaTables } from "../core/quota.ts";
import { openStore } from "../store/open.ts";
import type { SendOutcome } from "./dispatcher.ts";
import { type Log, NotifyEngine } from "./engine.ts";
import { notifyTables } from "./schema.ts";
import { type FromWorker, serializeError, type ToWorker, type WorkerData } from "./worker-protocol.ts";

const port = parentPort;
if (!port) throw new Error("notify/worker.ts runs as a worker thread");
const { config } = workerData as WorkerData;
const post = (m: FromWorker) => port.postMessage(m);

const logAt =
  (level: "error" | "warn" | "debug") =>
  (obj: object | string, msg?: string): void => {
    if (typeof obj === "string") {
      post({ type: "log", level, msg: obj });
      return;
    }
    const { err, ...fields } = obj as { err?: unknown };
    post({ type: "log", level, msg: msg ?? "", fields, err: err === undefined ? undefined : serializeError(err) });
  };
const log: Log = { error: logAt("error"), warn: logAt("warn"), debug: logAt("debug") };

/**
 * Background work yields the CPU to the API: on Linux this thread (not the process) gets a lower
 * scheduling priority (nice 10), so that under contention the API's event loop runs first.
 * Elsewhere this is skipped.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or not permitted: run at normal priority
  }
}

/** A full collection in this thread (V8's gc(), exposed on demand), for a heap figure without garbage. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Deliveries the API thread is sending for this thread (direct.ts), by request id. */
const relayed = new Map<number, (o: SendOutcome) => void>();
let relays = 0;

lowerPriority();
try {
  // A few connections suffice: fan-out and delivery bookkeeping run one query at a time. The API
  // thread migrated the database (with every module) before it started this worker.
  const store = await openStore(config, [authTables, notifyTables, cimTables, oadr2bTables, quotaTables], {
    poolSize: 4,
    applicationName: "gridlink-notify",
    migrate: false,
  });
  // The worker's own policy over its own connection; its granted-target cache is dropped when
  // the API thread says vens or resources changed ("grants").
  const policy = createPolicy(store);
  // Other VTN instances on the same PostgreSQL database change vens and resources too.
  store.onForeignChange((kinds) => {
    if (kinds.has("VEN") || kinds.has("RESOURCE")) policy.grants.invalidate();
  });
  const clients = new ClientRegistry(store);
  const verifier: TokenVerifier =
    config.auth.mode === "external"
      ? new ExternalVerifier(config.auth)
      : BuiltinIssuer.open(config.dataDir, config.tokenTtlSeconds, async (id) => {
          const c = await clients.get(id);
          return c !== undefined && !c.disabled;
        });
  const engine = new NotifyEngine({
    store,
    policy,
    directory: (ids) => clients.standing(ids),
    verifier,
    config,
    log,
    onMqttLive: (live) => post({ type: "mqtt-live", live }),
    relay: (delivery, body) =>
      new Promise((resolve) => {
        const id = ++relays;
        relayed.set(id, resolve);
        post({ type: "send", id, delivery, body });
      }),
  });
  // A revoked client's MQTT connections close and its queued deliveries are dropped (auth/revocation.ts).
  const revocations = new RevocationWatch(
    clients,
    config.revocationCheckMs,
    (id) => {
      verifier.forget?.(id);
      void engine.revoke(id);
    },
    (err) => log.error({ err }, "revocation check failed"),
  );
  await revocations.start();
  port.on("message", async (m: ToWorker) => {
    switch (m.type) {
      case "wake":
        engine.wake();
        return;
      case "sent":
        relayed.get(m.id)?.(m.outcome);
        relayed.delete(m.id);
        return;
      case "grants":
        policy.grants.invalidate();
        return;
      case "status":
        if (m.gc) collectGarbage();
        post({ type: "status", id: m.id, status: engine.status() });
        return;
      case "stop":
        revocations.stop();
        await engine.stop();
        await store.close();
        post({ type: "stopped" });
        port.close();
        return;
    }
  });
  post({ type: "ready", mqtt: await engine.start() });
} catch (err) {
  post({ type: "failed", error: (err as Error).stack ?? String(err) });
}
