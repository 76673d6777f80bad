// Starts the notifier's worker thread: loads worker.ts through tsx (gridlink runs TypeScript
// without a build step, and a worker thread does not inherit the parent's module loader).
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.entry, import.meta.url);
