// MQTT subscribers for the notification benchmark, in their own process: one mqtt.js client per
// VEN, each subscribed (QoS 1) to its VEN-scoped event topic. A control server answers GET /stats
// ({ready, unique, firstAt, lastAt}: clients that received a message since the last reset) and
// POST /reset. Prints the control URL once every client is subscribed.
//   tsx bench/support/mqtt-subscribers.ts <brokerUrl> <vens.json> <from> <to> [anonymous]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import mqtt, { type MqttClient } from "mqtt";

const [url, file, from, to, anonymous] = process.argv.slice(2);
const vens = (
  JSON.parse(readFileSync(file, "utf8")) as Array<{ clientId: string; venId: string; token: string }>
).slice(Number(from), Number(to));
let got = new Set<number>();
let firstAt = 0;
let lastAt = 0;
const clients: MqttClient[] = [];

async function connect(i: number): Promise<void> {
  const v = vens[i];
  const c = await mqtt.connectAsync(url, {
    ...(anonymous ? {} : { username: v.clientId, password: v.token }),
    clientId: `sub-${v.venId}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
    keepalive: 0,
    connectTimeout: 60_000,
  });
  c.on("message", () => {
    if (got.has(i)) return;
    got.add(i);
    lastAt = Date.now();
    if (!firstAt) firstAt = lastAt;
  });
  const granted = await c.subscribeAsync(`events/vens/${v.venId}/+`, { qos: 1 });
  if (granted[0].qos > 1) throw new Error(`subscription of ${v.venId} refused`);
  clients.push(c);
}

for (let i = 0; i < vens.length; i += 100)
  await Promise.all(Array.from({ length: Math.min(100, vens.length - i) }, (_, k) => connect(i + k)));

const control = createServer((req, res) => {
  if (req.method === "POST") {
    got = new Set();
    firstAt = 0;
    lastAt = 0;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ready: clients.length, unique: got.size, firstAt, lastAt }));
});
control.listen(0, "127.0.0.1", () =>
  process.stdout.write(`http://127.0.0.1:${(control.address() as AddressInfo).port}\n`),
);
process.on("SIGTERM", async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  process.exit(0);
});
