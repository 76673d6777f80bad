// A CIM system and a 3.1 VEN on one VTN, over real HTTP: the CIM client creates a 2-hour import
// limit for an EndDeviceGroup, the VEN in that group sees the event and reports, get MeterReadings
// returns those readings, the CIM client cancels and the VEN sees the cancellation.
import { type Actors, actors, type Receiver, startReceiver, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertValidReply, control, controls, list, postCim, request } from "./cim-client.ts";

let t: TestVtn;
let a: Actors;
let rx: Receiver;
const start = "2030-06-01T14:00:00Z";
const end = "2030-06-01T16:00:00Z";
let eventId: string;

beforeAll(async () => {
  t = await startTestVtn();
  a = await actors(t);
  rx = await startReceiver();
  // BL puts VEN 1 in group DG2 (targets are granted by BL: docs/targets.md).
  const v = t.vens[0];
  const put = await t.call(a.bl, "PUT", `/vens/${v.venID}`, {
    venName: v.venName,
    clientID: v.clientId,
    targets: ["demo", v.venName, "DG2"],
  });
  expect(put.status).toBe(200);
  const sub = await t.call(a.ven1, "POST", "/subscriptions", {
    clientName: "ven-1",
    objectOperations: [{ objects: ["EVENT"], operations: ["CREATE", "DELETE"], callbackUrl: `${rx.url}/ven1` }],
  });
  expect(sub.status).toBe(201);
}, 30_000);

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe("EndDeviceControls end to end", () => {
  it("a CIM client creates a 2-hour import limit for EndDeviceGroup DG2: Reply OK, correlated", async () => {
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "create", noun: "EndDeviceControls", messageID: "create-1" },
        {
          payload: controls(
            control({ mRID: "edc-limit-1", type: "IMPORT_CAPACITY_LIMIT", priceSignal: 5, start, end }),
          ),
        },
      ),
    );
    expect(r.status).toBe(200);
    assertValidReply(r);
    expect(r.root).toBe("ResponseMessage");
    expect(r.msg.Header.Verb).toBe("reply");
    expect(r.msg.Header.CorrelationID).toBe("create-1");
    expect(r.msg.Reply).toMatchObject({ Result: "OK" });
    const ids = list(r.msg.Reply.ID) as Array<{ "#text": string; "@objectType": string }>;
    expect(ids.find((i) => i["@objectType"] === "EndDeviceControl")?.["#text"]).toBe("edc-limit-1");
    eventId = ids.find((i) => i["@objectType"] === "EVENT")?.["#text"] ?? "";
    expect(eventId).not.toBe("");
  });

  it("the 3.1 VEN in DG2 sees the event with the limit, the other VEN does not", async () => {
    const seen = await t.call(a.ven1, "GET", "/events");
    const e = (seen.body as Array<{ id: string }>).find((x) => x.id === eventId) as Record<string, unknown>;
    expect(e).toMatchObject({
      targets: ["DG2"],
      intervalPeriod: { start: "2030-06-01T14:00:00.000Z", duration: "PT2H" },
      payloadDescriptors: [{ payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" }],
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [5] }] }],
    });
    expect((await t.call(a.ven2, "GET", `/events/${eventId}`)).status).toBe(404);
    await expect
      .poll(() =>
        rx.received.some((n) => n.path === "/ven1" && n.body.operation === "CREATE" && n.body.object.id === eventId),
      )
      .toBe(true);
  });

  it("the VEN reports and get MeterReadings returns its readings with ReadingTypes, times and values", async () => {
    const rep = await t.call(a.ven1, "POST", "/reports", {
      eventID: eventId,
      clientName: "site-1",
      payloadDescriptors: [
        { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "USAGE", units: "KWH" },
        { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "DEMAND", units: "KW" },
      ],
      resources: [
        {
          resourceName: "meter-1",
          intervalPeriod: { start, duration: "PT15M" },
          intervals: [
            {
              id: 0,
              payloads: [
                { type: "USAGE", values: [1.25] },
                { type: "DEMAND", values: [4.8] },
              ],
            },
            {
              id: 1,
              payloads: [
                { type: "USAGE", values: [1.1] },
                { type: "DEMAND", values: [4.5] },
              ],
            },
          ],
        },
      ],
    });
    expect(rep.status).toBe(201);
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "get", noun: "MeterReadings", messageID: "get-1" },
        { request: `<msg:StartTime>${start}</msg:StartTime><msg:EndTime>${end}</msg:EndTime>` },
      ),
    );
    expect(r.status).toBe(200);
    assertValidReply(r);
    expect(r.msg.Reply).toMatchObject({ Result: "OK" });
    expect(r.msg.Header.CorrelationID).toBe("get-1");
    const mr = r.msg.Payload.MeterReadings;
    const reading = mr.MeterReading.find((m: { Meter: { mRID: string } }) => m.Meter.mRID === "meter-1");
    expect(reading.UsagePoint.mRID).toBe("site-1");
    const blocks = Object.fromEntries(
      reading.IntervalBlocks.map((b: { ReadingType: { "@ref": string }; IntervalReadings: unknown[] }) => [
        b.ReadingType["@ref"],
        b.IntervalReadings,
      ]),
    );
    expect(blocks["0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0"]).toEqual([
      {
        timeStamp: "2030-06-01T14:15:00.000Z",
        value: "1.25",
        timePeriod: { end: "2030-06-01T14:15:00.000Z", start: "2030-06-01T14:00:00.000Z" },
      },
      {
        timeStamp: "2030-06-01T14:30:00.000Z",
        value: "1.1",
        timePeriod: { end: "2030-06-01T14:30:00.000Z", start: "2030-06-01T14:15:00.000Z" },
      },
    ]);
    expect(blocks["0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0"].map((x: { value: string }) => x.value)).toEqual([
      "4.8",
      "4.5",
    ]);
    const types = list(mr.ReadingType).map((x: { mRID: string; unit: string; multiplier: string }) => [
      x.mRID,
      x.multiplier,
      x.unit,
    ]);
    expect(types).toEqual(
      expect.arrayContaining([
        ["0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0", "3", "72"],
        ["0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0", "3", "38"],
      ]),
    );
  });

  it("a ReadingType filter keeps only that ReadingType", async () => {
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "get", noun: "MeterReadings" },
        { request: `<msg:ID objectType="ReadingType">0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0</msg:ID>` },
      ),
    );
    const refs = r.msg.Payload.MeterReadings.MeterReading.flatMap(
      (m: { IntervalBlocks: Array<{ ReadingType: { "@ref": string } }> }) =>
        m.IntervalBlocks.map((b) => b.ReadingType["@ref"]),
    );
    expect(new Set(refs)).toEqual(new Set(["0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0"]));
  });

  it("the CIM client cancels; the VEN sees the cancellation (the event is deleted, a DELETE notification)", async () => {
    const r = await postCim(
      t,
      a.bl,
      request(
        { verb: "cancel", noun: "EndDeviceControls", messageID: "cancel-1" },
        { payload: controls(control({ mRID: "edc-limit-1", type: "IMPORT_CAPACITY_LIMIT", priceSignal: 5 })) },
      ),
    );
    assertValidReply(r);
    expect(r.msg.Reply).toMatchObject({ Result: "OK" });
    expect(r.msg.Header.CorrelationID).toBe("cancel-1");
    expect((await t.call(a.ven1, "GET", `/events/${eventId}`)).status).toBe(404);
    await expect
      .poll(() =>
        rx.received.some((n) => n.path === "/ven1" && n.body.operation === "DELETE" && n.body.object.id === eventId),
      )
      .toBe(true);
    // A second cancel finds nothing to cancel.
    const again = await postCim(
      t,
      a.bl,
      request(
        { verb: "cancel", noun: "EndDeviceControls" },
        { payload: controls(control({ mRID: "edc-limit-1", type: "IMPORT_CAPACITY_LIMIT" })) },
      ),
    );
    expect(again.msg.Reply.Result).toBe("FAILED");
    expect(again.msg.Reply.Error[0]).toMatchObject({ code: "2.4", ID: { "#text": "edc-limit-1" } });
  });
});
