// What the CIM endpoint does with input it cannot act on: faults for what does not parse or
// validate (nothing changes), FAILED / PARTIAL replies with one Error per failed item, refusals
// for clients that are not BL; no input makes a 5xx.
import { type Actors, actors, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertValidReply, cimUrl, control, controls, EDC, MSG, postCim, request } from "./cim-client.ts";

let t: TestVtn;
let a: Actors;

beforeAll(async () => {
  t = await startTestVtn();
  a = await actors(t);
  const v = t.vens[0];
  const put = await t.call(a.bl, "PUT", `/vens/${v.venID}`, {
    venName: v.venName,
    clientID: v.clientId,
    targets: ["demo", v.venName, "DG2"],
  });
  expect(put.status).toBe(200);
}, 30_000);

afterAll(async () => {
  await t?.close();
});

const eventCount = async () => (await t.call(a.bl, "GET", "/events?limit=50")).body.length as number;
const create = (...items: string[]) =>
  request({ verb: "create", noun: "EndDeviceControls", messageID: "bad-1" }, { payload: controls(...items) });

describe("messages that are not acted on get a FaultMessage and change nothing", () => {
  const faults: Array<[string, string, number]> = [
    ["not well-formed XML", "<msg:RequestMessage xmlns:msg='x'><unclosed>", 400],
    ["a DOCTYPE with an entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>`, 400],
    ["an XML document that is no RequestMessage", `<other xmlns="urn:x"/>`, 400],
    [
      "a RequestMessage without a Noun (XSD)",
      `<msg:RequestMessage xmlns:msg="${MSG}"><msg:Header><msg:Verb>create</msg:Verb></msg:Header></msg:RequestMessage>`,
      400,
    ],
    ["an unknown verb (the Header's Verb enumeration)", request({ verb: "destroy", noun: "EndDeviceControls" }), 400],
    [
      "a control without its required EndDeviceControlType (payload XSD)",
      create(`<m:EndDeviceControl><m:mRID>x</m:mRID></m:EndDeviceControl>`),
      400,
    ],
    [
      "a drProgramLevel that is no integer (payload XSD)",
      create(
        control({ mRID: "x", type: "SIMPLE" }).replace(
          "<m:mRID>x</m:mRID>",
          "<m:mRID>x</m:mRID><m:drProgramLevel>high</m:drProgramLevel>",
        ),
      ),
      400,
    ],
    [
      "a payload in the wrong namespace",
      request(
        { verb: "create", noun: "EndDeviceControls" },
        { payload: `<m:EndDeviceControls xmlns:m="urn:not-cim"/>` },
      ),
      400,
    ],
    [
      "a payload of another noun",
      request(
        { verb: "create", noun: "EndDeviceControls" },
        { payload: `<m:MeterReadings xmlns:m="http://iec.ch/TC57/2011/MeterReadings#"/>` },
      ),
      400,
    ],
  ];

  it.each(faults)("%s", async (_, body, status) => {
    const before = await eventCount();
    const r = await postCim(t, a.bl, body);
    expect(r.status).toBe(status);
    assertValidReply(r);
    expect(r.root).toBe("FaultMessage");
    expect(r.msg.Reply.Result).toBe("FAILED");
    expect(r.msg.Reply.Error[0].code).toMatch(/^1\./);
    expect(await eventCount()).toBe(before);
  });

  it("a body over the XML limit is a 413 FaultMessage", async () => {
    const r = await postCim(t, a.bl, `<x>${"a".repeat(1024 * 1024 + 10)}</x>`);
    expect(r.status).toBe(413);
    expect(r.root).toBe("FaultMessage");
  });

  it("a JSON body is a 415 FaultMessage", async () => {
    const r = await postCim(t, a.bl, "{}", "application/json");
    expect(r.status).toBe(415);
    expect(r.root).toBe("FaultMessage");
  });
});

describe("valid messages the VTN cannot carry out get a FAILED or PARTIAL ResponseMessage", () => {
  it("an unknown noun: FAILED, code 2.1", async () => {
    const r = await postCim(t, a.bl, request({ verb: "get", noun: "Customers", messageID: "n-1" }));
    expect(r.status).toBe(200);
    assertValidReply(r);
    expect(r.msg.Header.CorrelationID).toBe("n-1");
    expect(r.msg.Reply.Result).toBe("FAILED");
    expect(r.msg.Reply.Error[0]).toMatchObject({ code: "2.1" });
  });

  it("a verb the noun does not take: FAILED, code 2.2", async () => {
    const r = await postCim(t, a.bl, request({ verb: "create", noun: "MeterReadings" }));
    expect(r.msg.Reply.Result).toBe("FAILED");
    expect(r.msg.Reply.Error[0]).toMatchObject({ code: "2.2" });
    const r2 = await postCim(
      t,
      a.bl,
      create(control({ mRID: "e-1", type: "SIMPLE" })).replace(">create<", ">execute<"),
    );
    expect(r2.msg.Reply.Error[0]).toMatchObject({ code: "2.2" });
  });

  it("a control for an unknown group: FAILED with its mRID, no event", async () => {
    const before = await eventCount();
    const r = await postCim(t, a.bl, create(control({ mRID: "edc-nogroup", type: "SIMPLE", group: "NO-SUCH-GROUP" })));
    assertValidReply(r);
    expect(r.msg.Reply.Result).toBe("FAILED");
    expect(r.msg.Reply.Error).toHaveLength(1);
    expect(r.msg.Reply.Error[0]).toMatchObject({ code: "2.4", ID: { "#text": "edc-nogroup" } });
    expect(r.msg.Reply.Error[0].reason).toContain("NO-SUCH-GROUP");
    expect(await eventCount()).toBe(before);
  });

  it("a partial batch: PARTIAL, one Error per failed control, the good ones applied", async () => {
    const r = await postCim(
      t,
      a.bl,
      create(
        control({ mRID: "batch-good-1", type: "IMPORT_CAPACITY_LIMIT", priceSignal: 3 }),
        control({ mRID: "batch-bad-group", type: "SIMPLE", group: "NOWHERE" }),
        control({ mRID: "batch-bad-type", type: "9.9.9.9" }),
        control({ mRID: "batch-bad-value", type: "PRICE" }),
        control({ mRID: "batch-good-2", type: "PRICE", priceSignal: 0.42 }),
      ),
    );
    assertValidReply(r);
    expect(r.msg.Reply.Result).toBe("PARTIAL");
    const errors = r.msg.Reply.Error.map((e: { code: string; ID: { "#text": string } }) => [e.ID["#text"], e.code]);
    expect(errors).toEqual([
      ["batch-bad-group", "2.4"],
      ["batch-bad-type", "2.5"],
      ["batch-bad-value", "2.5"],
    ]);
    const seen = (await t.call(a.ven1, "GET", "/events?limit=50")).body as Array<{ eventName: string }>;
    expect(seen.map((e) => e.eventName)).toEqual(expect.arrayContaining(["batch-good-1", "batch-good-2"]));
    expect(seen.map((e) => e.eventName)).not.toContain("batch-bad-group");
  });

  it("a second create of the same mRID: FAILED, code 2.6", async () => {
    await postCim(t, a.bl, create(control({ mRID: "dup-1", type: "SIMPLE" })));
    const r = await postCim(t, a.bl, create(control({ mRID: "dup-1", type: "SIMPLE" })));
    expect(r.msg.Reply.Error[0]).toMatchObject({ code: "2.6", ID: { "#text": "dup-1" } });
  });

  it("change and close of an unknown mRID: FAILED, code 2.4", async () => {
    for (const verb of ["change", "close"]) {
      const r = await postCim(
        t,
        a.bl,
        request(
          { verb, noun: "EndDeviceControls" },
          { payload: controls(control({ mRID: "never-made", type: "SIMPLE" })) },
        ),
      );
      expect(r.msg.Reply.Error[0]).toMatchObject({ code: "2.4", ID: { "#text": "never-made" } });
    }
  });

  it("an unknown ReadingType code in get MeterReadings: FAILED, code 2.5", async () => {
    const r = await postCim(
      t,
      a.bl,
      request({ verb: "get", noun: "MeterReadings" }, { request: `<msg:ID objectType="ReadingType">1.2.3</msg:ID>` }),
    );
    expect(r.msg.Reply.Result).toBe("FAILED");
    expect(r.msg.Reply.Error[0].code).toBe("2.5");
  });
});

describe("who may use the endpoint", () => {
  const body = () => create(control({ mRID: "auth-1", type: "SIMPLE" }));

  it("no token: 401 FaultMessage", async () => {
    const r = await postCim(t, undefined, body());
    expect(r.status).toBe(401);
    assertValidReply(r);
    expect(r.msg.Reply.Error[0].code).toBe("6.2");
  });

  it("a token that does not verify: 401 FaultMessage", async () => {
    const r = await postCim(t, "not-a-token", body());
    expect(r.status).toBe(401);
    expect(r.root).toBe("FaultMessage");
  });

  it("a VEN token: 403 FaultMessage, nothing created", async () => {
    const before = await eventCount();
    const r = await postCim(t, a.ven1, body());
    expect(r.status).toBe(403);
    assertValidReply(r);
    expect(r.msg.Reply.Error[0].code).toBe("6.1");
    expect(await eventCount()).toBe(before);
  });
});

describe("no input makes a 5xx", () => {
  const samples = [
    "",
    "<",
    "<?xml version='1.0'?>",
    `<msg:RequestMessage xmlns:msg="${MSG}"/>`,
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>`,
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a/><b/></soap:Body></soap:Envelope>`,
    create(control({ mRID: "x", type: "SIMPLE" })).replace("DG2", "DG2".repeat(10_000)),
    create(control({ mRID: "y", type: "IMPORT_CAPACITY_LIMIT", priceSignal: 1e39 })),
    create(control({ mRID: "z", type: "SIMPLE", start: "2030-01-01T00:00:00Z", end: "9999-12-31T23:59:59Z" })),
    create(control({ mRID: "w", type: "SIMPLE", drProgramLevel: -99999999999 })),
    `<m:EndDeviceControls xmlns:m="${EDC}"/>`,
    `${"<a>".repeat(100)}${"</a>".repeat(100)}`,
  ];
  it.each(samples.map((s, i) => [i, s] as const))("sample %i", async (_, s) => {
    const res = await fetch(cimUrl(t), {
      method: "POST",
      headers: { authorization: `Bearer ${a.bl}`, "content-type": "text/xml" },
      body: s,
    });
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).toMatch(/(FaultMessage|ResponseMessage)/);
  });
});
