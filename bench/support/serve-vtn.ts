// Runs a VTN on an existing data dir in its own process, for benchmarks; prints the base URL.
// With a third argument, the store is the PostgreSQL database at that URL.
import { createVtn } from "@gridlink/vtn";

const [dataDir, port = "0", databaseUrl] = process.argv.slice(2);
const vtn = await createVtn({
  dataDir,
  port: Number(port),
  host: "127.0.0.1",
  logLevel: "warn",
  demo: false,
  tokenRateLimitPerMinute: 0,
  mqttPort: 0, // any free port: another VTN on the machine may hold 1883
  ...(databaseUrl ? { store: "postgres" as const, databaseUrl } : {}),
});
const url = await vtn.listen();
process.stdout.write(`${url}\n`);
process.on("SIGTERM", async () => {
  await vtn.close();
  process.exit(0);
});
