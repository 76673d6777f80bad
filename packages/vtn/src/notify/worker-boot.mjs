// Starts the notifier's worker thread. From the built bundle (packages/cli/build.mjs) the entry is
// plain JavaScript; from the TypeScript sources it is worker.ts, loaded through tsx (a worker thread
// does not inherit the parent's module loader).
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) {
  const { tsImport } = await import("tsx/esm/api");
  await tsImport(workerData.entry, import.meta.url);
} else {
  await import(workerData.entry);
}
