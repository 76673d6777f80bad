// Runs a VTN on an existing data dir in its own process, for benchmarks; prints the base URL.
// With a third argument, the store is the PostgreSQL database at that URL.
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createVtn } from "@gridlink/vtn";

const [dataDir, port = "0", databaseUrl] = process.argv.slice(2);
const vtn = await createVtn({
  dataDir,
  port: Number(port),
  host: "127.0.0.1",
  logLevel: "warn",
  demo: false,
  tokenRateLimitPerMinute: 0,
  // BENCH_MQTT_RETAIN=1: retained MQTT notifications, so MQTT is live with nobody connected and
  // every change is recorded in the outbox and published (as with MQTT subscribers connected).
  ...(process.env.BENCH_MQTT_RETAIN === "1" ? { mqttRetain: true } : {}),
  mqttPort: 0, // any free port: another VTN on the machine may hold 1883
  // BENCH_HEAP_GROWING_PERCENT=0: V8's own old-generation growth, for a comparison (server.ts tuneHeap).
  ...(process.env.BENCH_HEAP_GROWING_PERCENT
    ? { heapGrowingPercent: Number(process.env.BENCH_HEAP_GROWING_PERCENT) }
    : {}),
  ...(databaseUrl ? { store: "postgres" as const, databaseUrl } : {}),
});
const url = await vtn.listen();
process.stdout.write(`${url}\n`);
process.on("SIGTERM", async () => {
  await vtn.close();
  process.exit(0);
});
// SIGUSR2: one line on stderr of where this thread's memory is (V8 heap, its spaces over 8 MB,
// memory outside it), for benches that follow the RSS (scale.ts --memory); with BENCH_FULL_GC=1,
// a second line after a full collection (what of the heap was garbage).
process.on("SIGUSR2", () => {
  const mb = (n: number) => `${(n / 1048576).toFixed(0)}`;
  const m = process.memoryUsage();
  const spaces = getHeapSpaceStatistics()
    .filter((s) => s.space_size > 8 * 1048576)
    .map((s) => `${s.space_name} ${mb(s.space_used_size)}/${mb(s.space_size)}`);
  process.stderr.write(
    `  memory (MB): rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} [${spaces.join(", ")}], external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}\n`,
  );
  if (process.env.BENCH_FULL_GC === "1") {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
    const after = process.memoryUsage();
    process.stderr.write(
      `  after a full GC: rss ${mb(after.rss)}, heap ${mb(after.heapUsed)}/${mb(after.heapTotal)}\n`,
    );
  }
});
