// Messages between the VTN's main thread (notify/index.ts) and the notifier's worker thread
// (notify/worker.ts). Plain data: they cross a MessagePort.
import type { VtnConfig } from "../config.ts";
import type { Claimed } from "./deliveries.ts";
import type { SendOutcome } from "./dispatcher.ts";
import type { EngineStatus, MqttListening } from "./engine.ts";

export interface WorkerData {
  /** The worker's module: worker.ts, loaded through tsx by worker-boot.mjs, or its built bundle. */
  entry: string;
  config: VtnConfig;
}

export type ToWorker =
  | { type: "wake" }
  /** A ven or resource changed: the worker's cached grants are stale. */
  | { type: "grants" }
  /** `gc`: collect garbage first, so that `heapUsedBytes` is what the worker keeps (memory tests). */
  | { type: "status"; id: number; gc?: boolean }
  /** The outcome of a "send" the API thread carried out. */
  | { type: "sent"; id: number; outcome: SendOutcome }
  | { type: "stop" };

export type FromWorker =
  | { type: "ready"; mqtt?: MqttListening }
  | { type: "failed"; error: string }
  | {
      type: "log";
      level: "error" | "warn" | "debug";
      msg: string;
      fields?: Record<string, unknown>;
      err?: SerializedError;
    }
  | { type: "mqtt-live"; live: boolean }
  | { type: "status"; id: number; status: EngineStatus }
  /** Send a delivery of a channel whose transport runs on the API thread (OADR2B, CIM: direct.ts). */
  | { type: "send"; id: number; delivery: Claimed; body: string }
  | { type: "stopped" };

export interface SerializedError {
  message: string;
  stack?: string;
  code?: string;
}

export function serializeError(err: unknown): SerializedError {
  const e = err as NodeJS.ErrnoException;
  return { message: e?.message ?? String(err), stack: e?.stack, code: e?.code };
}
