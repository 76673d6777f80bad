// An external MQTT broker that accepts the VTN's connection but never acknowledges a publish
// (no PUBACK): a delivery counts only once the broker acknowledged every message of it, so it is
// tried again, and the error it keeps says what happened. The broker is a raw TCP server that
// answers CONNECT with CONNACK and PINGREQ with PINGRESP, and reads everything else away.
import { createServer, type Server, type Socket } from "node:net";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

describe("an MQTT broker that never acknowledges", () => {
  let broker: Server;
  const sockets = new Set<Socket>();
  let publishes = 0;
  let connects = 0;
  let t: TestVtn;

  beforeAll(async () => {
    broker = createServer((s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      // The VTN's client resets the connection when it gives up or stops: nothing to report.
      s.on("error", () => {});
      s.on("data", (chunk) => {
        // The first byte of each packet's fixed header names its type (MQTT 3.1.1 §2.2.1); a
        // chunk may carry several packets, but CONNECT and PINGREQ arrive alone.
        const type = chunk[0] >> 4;
        if (type === 1) {
          s.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK, accepted
          connects++;
        } else if (type === 12)
          s.write(Buffer.from([0xd0, 0x00])); // PINGRESP
        else if (type === 3) publishes++;
      });
    });
    await new Promise<void>((r) => broker.listen(0, "127.0.0.1", r));
    const { port } = broker.address() as { port: number };
    t = await startTestVtn({
      mqttBroker: "external",
      mqttUrl: `mqtt://127.0.0.1:${port}`,
      // Also the client's connect timeout: at 300 ms, a loaded machine made it reconnect.
      webhookTimeoutMs: 1000,
      webhookRetryBaseMs: 50,
      webhookRetryMaxMs: 100,
      webhookMaxAttempts: 3,
    });
    // The VTN connects once it started; a delivery before that fails as "not connected" instead.
    // (expect.poll is for tests; vi.waitFor works here.)
    await vi.waitFor(() => expect(connects).toBeGreaterThan(0), { interval: 20, timeout: 8_000 });
  });
  afterAll(async () => {
    await t.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => broker.close(r));
  });

  it("keeps the delivery, tries it again, and says the broker did not acknowledge", async () => {
    const bl = await t.token(t.bl);
    await t.call(bl, "POST", "/programs", { programName: "never-acked" });
    type Row = { state: string; attempts: number; lastError: string };
    const mqttRows = async (): Promise<Row[]> => (await t.call(bl, "GET", "/gridlink/deliveries?channel=MQTT")).body;
    await expect
      .poll(async () => (await mqttRows()).some((d) => d.state === "DEAD"), { interval: 50, timeout: 20_000 })
      .toBe(true);
    const dead = (await mqttRows()).find((d) => d.state === "DEAD") as Row;
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toMatch(/publishes failed: the MQTT broker did not acknowledge within 1000 ms/);
    // The attempts published (and were left unacknowledged): the broker read them.
    expect(publishes).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
