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

/**
 * Connects and subscribes VEN `i`, trying again a few times: the VTN's embedded broker cuts
 * connections past its `mqttMaxPendingConnections` (100) still logging in, which a loaded machine
 * can reach while two subscriber processes connect at once.
 */
async function connect(i: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(i);
    } catch (err) {
      if (attempt === 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

async function connectOnce(i: number): Promise<void> {
  const v = vens[i];
  // allowRetries false: a connection closed before its CONNACK rejects (and is tried again
  // above) instead of leaving the promise unsettled.
  const c = await mqtt.connectAsync(
    url,
    {
      ...(anonymous ? {} : { username: v.clientId, password: v.token }),
      clientId: `sub-${v.venId}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
      keepalive: 0,
      connectTimeout: 60_000,
    },
    false,
  );
  c.on("message", () => {
    if (got.has(i)) return;
    got.add(i);
    lastAt = Date.now();
    if (!firstAt) firstAt = lastAt;
  });
  // Once connected, a lost connection is reported (the run then waits for a message that does
  // not come and says so), not an uncaught error that ends every subscriber of this process.
  c.on("error", (err) => process.stderr.write(`subscriber ${v.venId}: ${err.message}\n`));
  let granted: Awaited<ReturnType<MqttClient["subscribeAsync"]>>;
  try {
    granted = await c.subscribeAsync(`events/vens/${v.venId}/+`, { qos: 1 });
  } catch (err) {
    await c.endAsync(true);
    throw err;
  }
  if (granted[0].qos > 1) throw new Error(`subscription of ${v.venId} refused`);
  clients.push(c);
}

const AT_ONCE = 50;
for (let i = 0; i < vens.length; i += AT_ONCE)
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, vens.length - i) }, (_, k) => connect(i + k)));

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
