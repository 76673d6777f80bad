// A VTN for the notification benchmarks, in its own process on an existing data dir: loopback
// http callbacks allowed (the receivers), the embedded MQTT broker on a free port. Prints the
// base URL. With a second argument, MQTT goes to that external broker instead (bench/notify-mqtt.ts
// --broker mosquitto); with a third, the store is the PostgreSQL database at that URL
// (bench/notify-webhooks.ts --store postgres).
import { createVtn } from "@gridlink/vtn";

const [dataDir, mqttUrl, databaseUrl] = process.argv.slice(2);
const vtn = await createVtn({
  dataDir,
  host: "127.0.0.1",
  port: 0,
  logLevel: "warn",
  demo: false,
  tokenRateLimitPerMinute: 0,
  webhookAllowHttp: true,
  webhookAllowPrivate: true,
  mqttPort: 0,
  ...(mqttUrl ? { mqttBroker: "external" as const, mqttUrl } : {}),
  ...(databaseUrl ? { store: "postgres" as const, databaseUrl } : {}),
  // BENCH_HEAP_GROWING_PERCENT=0: V8's own old-generation growth, for a comparison (server.ts tuneHeap).
  ...(process.env.BENCH_HEAP_GROWING_PERCENT
    ? { heapGrowingPercent: Number(process.env.BENCH_HEAP_GROWING_PERCENT) }
    : {}),
});
process.stdout.write(`${await vtn.listen()}\n`);
process.on("SIGTERM", async () => {
  await vtn.close();
  process.exit(0);
});
