// A VTN in its own process on a given data dir (for kill -9 tests): prints its base URL.
import { createVtn } from "../index.ts";

const [dataDir, perEndpoint = "2"] = process.argv.slice(2);
const vtn = await createVtn({
  dataDir,
  host: "127.0.0.1",
  port: 0,
  logLevel: "silent",
  tokenRateLimitPerMinute: 0,
  webhookAllowHttp: true,
  webhookAllowPrivate: true,
  webhookConcurrencyPerEndpoint: Number(perEndpoint),
  mqttBroker: "none",
});
process.stdout.write(`${await vtn.listen()}\n`);
