// The MQTT ceiling: a bare aedes broker (no authentication, no ACL, no outbox) on a free loopback
// port, in its own process. POST /publish {"topics": [...], "payload": "..."} to its control
// server publishes the payload to every topic from inside the broker (QoS 1, as the VTN's embedded
// broker does) and answers when aedes is done. Prints {"mqtt": url, "control": url}.
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { Aedes } from "aedes";

const aedes = await Aedes.createBroker();
const server = createServer(aedes.handle);
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const publish = (topic: string, payload: Buffer) =>
  new Promise<void>((resolve, reject) =>
    aedes.publish({ cmd: "publish", topic, payload, qos: 1, retain: false, dup: false } as never, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
const control = createHttpServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const { topics, payload } = JSON.parse(Buffer.concat(chunks).toString()) as { topics: string[]; payload: string };
    const body = Buffer.from(payload);
    await Promise.all(topics.map((t) => publish(t, body)));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ published: topics.length }));
  });
});
await new Promise<void>((r) => control.listen(0, "127.0.0.1", r));
const port = (s: { address(): unknown }) => (s.address() as AddressInfo).port;
process.stdout.write(
  `${JSON.stringify({ mqtt: `mqtt://127.0.0.1:${port(server)}`, control: `http://127.0.0.1:${port(control)}` })}\n`,
);
process.on("SIGTERM", () => aedes.close(() => server.close(() => process.exit(0))));
