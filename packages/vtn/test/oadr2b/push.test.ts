// Push: a VEN registered with oadrHttpPullModel=false gets, POSTed to its transport address, what
// a pull VEN would poll for — the VTN's oadrRegisterReport, then oadrDistributeEvent when an event
// created over 3.1 reaches it, again when it changes and when it is cancelled — through the
// notifier's outbox with retries: a VEN that was down gets it after it is back.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oadr20bSchema } from "../../src/bindings/oadr2b/index.ts";
import { REPEATING } from "../../src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";
import { Ven2b } from "./client.ts";

interface Pushed {
  path: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML in tests
  body: any;
}

let t: TestVtn;
let bl: string;
let server: Server;
let address: string;
const pushed: Pushed[] = [];
let down = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => {
      text += c;
    });
    req.on("end", () => {
      if (down) {
        res.writeHead(503).end();
        return;
      }
      oadr20bSchema().validate(text);
      const signed = (parseXml(text, { arrays: REPEATING }).oadrPayload as XmlNode).oadrSignedObject as XmlNode;
      const name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
      pushed.push({ path: req.url ?? "", name, body: signed[name] });
      res.writeHead(200, { "content-type": "application/xml" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await startTestVtn();
  bl = await t.token(t.bl);
});
afterAll(async () => {
  await t.close();
  server.close();
});

const events = () => pushed.filter((p) => p.name === "oadrDistributeEvent");
/** The event descriptors of the last oadrDistributeEvent pushed. */
const lastIds = () =>
  ((events().at(-1)?.body.oadrEvent ?? []) as XmlNode[]).map(
    (e) => ((e.eiEvent as XmlNode).eventDescriptor as XmlNode).eventID,
  );

describe("push (oadrHttpPullModel=false)", () => {
  let eventID: string;
  let programID: string;

  it("after registering, the VTN's oadrRegisterReport is POSTed to {address}/OpenADR2/Simple/2.0b/EiReport", async () => {
    const ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
    const r = await ven.register({ pull: false, address });
    expect(r.body.eiResponse.responseCode).toBe("200");
    await expect
      .poll(() => pushed.map((p) => `${p.path} ${p.name}`), { timeout: 10_000 })
      .toContain("/OpenADR2/Simple/2.0b/EiReport oadrRegisterReport");
  });

  it("an event created over 3.1 is pushed as oadrDistributeEvent to EiEvent", async () => {
    programID = (await t.call(bl, "POST", "/programs", { programName: "push" })).body.id;
    eventID = (
      await t.call(bl, "POST", "/events", {
        programID,
        intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
        intervals: [{ id: 0, payloads: [{ type: "DISPATCH_SETPOINT", values: [5] }] }],
      })
    ).body.id;
    await expect.poll(lastIds, { timeout: 10_000 }).toEqual([eventID]);
    const last = events().at(-1) as Pushed;
    expect(last.path).toBe("/OpenADR2/Simple/2.0b/EiEvent");
    const signal = last.body.oadrEvent[0].eiEvent.eiEventSignals.eiEventSignal[0];
    expect([signal.signalName, signal.signalType]).toEqual(["LOAD_DISPATCH", "setpoint"]);
    expect(last.body.oadrEvent[0].eiEvent.eventDescriptor.eventStatus).toBe("far");
  });

  it("the other VEN's event is not pushed to it", async () => {
    const before = events().length;
    await t.call(bl, "POST", "/events", {
      programID,
      targets: [t.vens[1].venName],
      intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    // A later, visible change is pushed; the invisible one before it never was.
    const old = (await t.call(bl, "GET", `/events/${eventID}`)).body;
    const { id, createdDateTime, modificationDateTime, objectType, ...body } = old;
    await t.call(bl, "PUT", `/events/${eventID}`, { ...body, eventName: "moved" });
    await expect
      .poll(() => (events().at(-1) as Pushed).body.oadrEvent?.[0]?.eiEvent.eventDescriptor.modificationNumber, {
        timeout: 10_000,
      })
      .toBe("1");
    expect(events().length).toBeGreaterThan(before);
    for (const p of events()) expect((p.body.oadrEvent ?? []).length).toBeLessThanOrEqual(1);
    expect(lastIds()).toEqual([eventID]);
  });

  it("a VEN that is down gets the cancel after it is back (retries)", async () => {
    down = true;
    const before = events().length;
    expect((await t.call(bl, "DELETE", `/events/${eventID}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(events().length).toBe(before);
    down = false;
    await expect.poll(() => events().length, { timeout: 10_000 }).toBeGreaterThan(before);
    // The cancel: the event once more, as cancelled (cancelled.ts).
    expect(lastIds()).toEqual([eventID]);
    expect((events().at(-1) as Pushed).body.oadrEvent[0].eiEvent.eventDescriptor.eventStatus).toBe("cancelled");
  });
});
