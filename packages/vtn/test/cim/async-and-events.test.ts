// Messages the VTN sends a CIM system on its own: asynchronous replies (AsyncReplyFlag +
// ReplyAddress) and EventMessages for registered listeners (created / changed / canceled
// EndDeviceControls, created MeterReadings), durable and retried like webhooks.
import { type Actors, actors, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertValidEvent,
  assertValidReply,
  control,
  controls,
  list,
  postCim,
  request,
  startXmlReceiver,
} from "./cim-client.ts";

let t: TestVtn;
let a: Actors;
let rx: Awaited<ReturnType<typeof startXmlReceiver>>;
let listenerId: string;
const start = "2030-07-01T10:00:00Z";

const opt = (name: string, value: string) =>
  `<msg:Option><msg:name>${name}</msg:name><msg:value>${value}</msg:value></msg:Option>`;
const events = (verb: string, noun: string) =>
  rx.received.filter(
    (r) =>
      r.path === "/events" && r.root === "EventMessage" && r.msg.Header.Verb === verb && r.msg.Header.Noun === noun,
  );

beforeAll(async () => {
  rx = await startXmlReceiver(() => 200);
  t = await startTestVtn({ webhookRetryBaseMs: 50, webhookRetryMaxMs: 200 });
  a = await actors(t);
  const v = t.vens[0];
  await t.call(a.bl, "PUT", `/vens/${v.venID}`, {
    venName: v.venName,
    clientID: v.clientId,
    targets: ["demo", v.venName, "DG2"],
  });
}, 30_000);

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe("EventMessages for a registered CIM system", () => {
  it("create EventSubscription registers an address (checked against the webhook URL policy)", async () => {
    const bad = await postCim(
      t,
      a.bl,
      request({ verb: "create", noun: "EventSubscription" }, { request: opt("address", "ftp://x/") }),
    );
    expect(bad.msg.Reply.Result).toBe("FAILED");
    expect(bad.msg.Reply.Error[0].code).toBe("2.5");
    const r = await postCim(
      t,
      a.bl,
      request({ verb: "create", noun: "EventSubscription" }, { request: opt("address", `${rx.url}/events`) }),
    );
    assertValidReply(r);
    expect(r.msg.Reply.Result).toBe("OK");
    listenerId = list(r.msg.Reply.ID)[0]["#text"];
    const mine = await postCim(t, a.bl, request({ verb: "get", noun: "EventSubscription" }));
    expect(list(mine.msg.Reply.ID).map((i: { "#text": string }) => i["#text"])).toEqual([listenerId]);
  });

  it("a control created over CIM comes back as an EventMessage 'created EndDeviceControls', valid against the XSDs", async () => {
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls" },
        {
          payload: controls(
            control({
              mRID: "evt-ctl-1",
              type: "IMPORT_CAPACITY_LIMIT",
              priceSignal: 7,
              start,
              end: "2030-07-01T12:00:00Z",
            }),
          ),
        },
      ),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    await expect.poll(() => events("created", "EndDeviceControls").length, { timeout: 8000 }).toBeGreaterThan(0);
    const m = events("created", "EndDeviceControls")[0];
    expect(m.contentType).toContain("application/xml");
    assertValidEvent(m.text, "cim4/xsd/EndDeviceControls.xsd");
    const c = m.msg.Payload.EndDeviceControls.EndDeviceControl[0];
    expect(c).toMatchObject({
      mRID: "evt-ctl-1",
      priceSignal: "7",
      EndDeviceControlType: { "@ref": "IMPORT_CAPACITY_LIMIT" },
    });
    expect(c.primaryDeviceTiming.interval).toEqual({
      start: "2030-07-01T10:00:00.000Z",
      end: "2030-07-01T12:00:00.000Z",
    });
  });

  it("an event a 3.1 BL client creates is told too (the same core), with its event id as mRID", async () => {
    const programs = (await t.call(a.bl, "GET", "/programs")).body as Array<{ id: string }>;
    const e = await t.call(a.bl, "POST", "/events", {
      programID: programs[0].id,
      eventName: "from-3.1",
      targets: ["DG2"],
      intervalPeriod: { start, duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [0.2] }] }],
    });
    expect(e.status).toBe(201);
    await expect.poll(() => events("created", "EndDeviceControls").some((m) => m.text.includes(e.body.id))).toBe(true);
  });

  it("the VEN's report comes as 'created MeterReadings'", async () => {
    const seen = (await t.call(a.ven1, "GET", "/events")).body as Array<{ id: string; eventName: string }>;
    const ev = seen.find((x) => x.eventName === "evt-ctl-1");
    const rep = await t.call(a.ven1, "POST", "/reports", {
      eventID: ev?.id,
      clientName: "site-evt",
      resources: [
        {
          resourceName: "meter-9",
          intervalPeriod: { start, duration: "PT15M" },
          intervals: [{ id: 0, payloads: [{ type: "USAGE", values: [3.5] }] }],
        },
      ],
    });
    expect(rep.status).toBe(201);
    await expect.poll(() => events("created", "MeterReadings").length).toBeGreaterThan(0);
    const m = events("created", "MeterReadings")[0];
    assertValidEvent(m.text, "smencim/MeterReadings.xsd");
    const reading = m.msg.Payload.MeterReadings.MeterReading[0];
    expect(reading.Meter.mRID).toBe("meter-9");
    expect(reading.IntervalBlocks[0].IntervalReadings[0]).toMatchObject({
      value: "3.5",
      timeStamp: "2030-07-01T10:15:00.000Z",
    });
  });

  it("close and cancel come as 'closed' and 'canceled'", async () => {
    await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls" },
        { payload: controls(control({ mRID: "evt-ctl-2", type: "SIMPLE", drProgramLevel: 1 })) },
      ),
    );
    const close = await postCim(
      t,
      a.bl,
      request({ verb: "close", noun: "EndDeviceControls" }, { payload: `<msg:ID>evt-ctl-2</msg:ID>` }),
    );
    expect(close.msg.Reply.Result).toBe("OK");
    const cancel = await postCim(
      t,
      a.bl,
      request({ verb: "cancel", noun: "EndDeviceControls" }, { payload: `<msg:ID>evt-ctl-1</msg:ID>` }),
    );
    expect(cancel.msg.Reply.Result).toBe("OK");
    await expect
      .poll(() => events("canceled", "EndDeviceControls").some((m) => m.text.includes("evt-ctl-1")))
      .toBe(true);
    await expect.poll(() => events("closed", "EndDeviceControls").some((m) => m.text.includes("evt-ctl-2"))).toBe(true);
    for (const m of [...events("canceled", "EndDeviceControls"), ...events("closed", "EndDeviceControls")])
      assertValidEvent(m.text, "cim4/xsd/EndDeviceControls.xsd");
  });

  it("delete EventSubscription stops them", async () => {
    const r = await postCim(
      t,
      a.bl,
      request({ verb: "delete", noun: "EventSubscription" }, { request: `<msg:ID>${listenerId}</msg:ID>` }),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    const before = rx.received.filter((x) => x.path === "/events").length;
    await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls" },
        { payload: controls(control({ mRID: "evt-ctl-3", type: "SIMPLE" })) },
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received.filter((x) => x.path === "/events").length).toBe(before);
  });
});

const asyncHeader = (address: string) =>
  `<msg:AsyncReplyFlag>true</msg:AsyncReplyFlag><msg:ReplyAddress>${address}</msg:ReplyAddress>`;

describe("asynchronous replies", () => {
  it("AsyncReplyFlag + ReplyAddress: an acknowledgement now, the ResponseMessage later at the ReplyAddress", async () => {
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls", messageID: "async-1", extra: asyncHeader(`${rx.url}/replies`) },
        {
          payload: controls(
            control({ mRID: "async-ctl-1", type: "SIMPLE" }),
            control({ mRID: "async-bad", type: "SIMPLE", group: "NOPE" }),
          ),
        },
      ),
    );
    expect(r.status).toBe(200);
    assertValidReply(r);
    expect(r.msg.Reply.Result).toBe("OK");
    expect(list(r.msg.Reply.ID)[0]["@objectType"]).toBe("AsyncReply");
    await expect.poll(() => rx.received.filter((x) => x.path === "/replies").length).toBe(1);
    const later = rx.received.find((x) => x.path === "/replies");
    expect(later?.root).toBe("ResponseMessage");
    expect(later?.msg.Header.CorrelationID).toBe("async-1");
    expect(later?.msg.Reply.Result).toBe("PARTIAL");
    expect(later?.msg.Reply.Error[0].ID["#text"]).toBe("async-bad");
  });

  it("a ReplyAddress the URL policy refuses: FAILED now, nothing carried out", async () => {
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls", extra: asyncHeader("file:///etc/passwd") },
        { payload: controls(control({ mRID: "async-ctl-2", type: "SIMPLE" })) },
      ),
    );
    expect(r.msg.Reply.Result).toBe("FAILED");
    const got = await postCim(
      t,
      a.bl,
      request({ verb: "get", noun: "EndDeviceControls" }, { request: "<msg:ID>async-ctl-2</msg:ID>" }),
    );
    expect(got.msg.Reply.Result).toBe("FAILED");
  });
});

describe("delivery is retried", () => {
  it("a ReplyAddress that fails at first gets the reply on a later attempt", async () => {
    const flaky = await startXmlReceiver((n) => (n < 2 ? 503 : 200));
    try {
      const r = await postCim(
        t,
        a.bl,
        request({ verb: "get", noun: "EndDeviceEvents", messageID: "async-2", extra: asyncHeader(`${flaky.url}/r`) }),
      );
      expect(r.msg.Reply.Result).toBe("OK");
      await expect.poll(() => flaky.received.length, { timeout: 8000 }).toBe(1);
      expect(flaky.attempts()).toBe(3);
      expect(flaky.received[0].msg.Header.CorrelationID).toBe("async-2");
      expect(flaky.received[0].msg.Payload.EndDeviceEvents).toBeDefined();
    } finally {
      await flaky.close();
    }
  });
});

describe("a disabled client", () => {
  it("is sent no EventMessages once disabled", async () => {
    const other = await t.vtn.clients.add({ role: "bl", name: "cim-listener-2" });
    const token = await t.token(other);
    const reg = await postCim(
      t,
      token,
      request({ verb: "create", noun: "EventSubscription" }, { request: opt("address", `${rx.url}/disabled`) }),
    );
    expect(reg.msg.Reply.Result).toBe("OK");
    await t.vtn.clients.setDisabled(other.clientId, true);
    await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls" },
        { payload: controls(control({ mRID: "evt-ctl-4", type: "SIMPLE" })) },
      ),
    );
    // A control made after the disabling is told to nobody at /disabled.
    await new Promise((r) => setTimeout(r, 600));
    expect(rx.received.filter((x) => x.path === "/disabled")).toEqual([]);
  });
});
