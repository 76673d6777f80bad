// The public example (spec/cim/examples/cim4/ReadMe.md lines 51-73, copied unedited into
// @gridlink/model/spec/cim): a per-noun CreateEndDeviceControls for group DG2, plain and in a
// SOAP 1.1 envelope as the WSDL's document/literal binding sends it.
import { type Actors, actors, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertValidReply, exampleCreateRequest, list, postCim } from "./cim-client.ts";

let t: TestVtn;
let a: Actors;

beforeAll(async () => {
  t = await startTestVtn();
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
});

describe("the example request of examples/cim4", () => {
  it("is accepted: EndDeviceControlsResponseMessage, Result OK, CorrelationID = its MessageID", async () => {
    const r = await postCim(t, a.bl, exampleCreateRequest());
    expect(r.status).toBe(200);
    assertValidReply(r);
    expect(r.root).toBe("EndDeviceControlsResponseMessage");
    expect(r.msg.Header).toMatchObject({
      Verb: "reply",
      Noun: "EndDeviceControls",
      CorrelationID: "aab72e66-d8b4-406c-8e18-4df2864cf947",
    });
    expect(r.msg.Reply.Result).toBe("OK");
    const ids = list(r.msg.Reply.ID).map((i: { "#text": string }) => i["#text"]);
    expect(ids).toContain("2b928834-b538-4244-9daf-6db54f700a76");
  });

  it("the VEN in DG2 sees a load control (SIMPLE) event that lasts until canceled", async () => {
    const events = (await t.call(a.ven1, "GET", "/events")).body as Array<Record<string, unknown>>;
    const e = events.find((x) => x.eventName === "2b928834-b538-4244-9daf-6db54f700a76");
    expect(e).toMatchObject({
      targets: ["DG2"],
      intervalPeriod: { duration: "P9999Y" },
      intervals: [{ payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    expect((await t.call(a.ven2, "GET", `/events/${e?.id}`)).status).toBe(404);
  });

  it("in a SOAP 1.1 envelope: the reply comes in one, as text/xml", async () => {
    const inner = exampleCreateRequest()
      .replace(/^<\?xml[^>]*>\s*/, "")
      .replace("2b928834-b538-4244-9daf-6db54f700a76", "soap-control-1");
    const body = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
    const r = await postCim(t, a.bl, body, "text/xml");
    expect(r.status).toBe(200);
    expect(r.contentType).toContain("text/xml");
    expect(r.text).toContain("http://schemas.xmlsoap.org/soap/envelope/");
    assertValidReply(r);
    expect(r.root).toBe("EndDeviceControlsResponseMessage");
    expect(r.msg.Reply.Result).toBe("OK");
  });

  it("a SOAP 1.2 envelope with a schema violation gets a soap:Fault whose detail is the FaultMessage", async () => {
    const inner = exampleCreateRequest()
      .replace(/^<\?xml[^>]*>\s*/, "")
      .replace('<EndDeviceControlType ref="2.31.0.18"/>', "");
    const body = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>${inner}</env:Body></env:Envelope>`;
    const r = await postCim(t, a.bl, body, "application/soap+xml");
    expect(r.status).toBe(400);
    expect(r.text).toContain("Fault");
    assertValidReply(r);
    expect(r.root).toBe("EndDeviceControlsFaultMessage");
    expect(r.msg.Reply.Error[0].code).toBe("1.3");
  });
});

describe("SOAP envelopes that hold no message", () => {
  it("an empty SOAP 1.1 Body: a soap:Fault carrying the FaultMessage, in SOAP", async () => {
    const r = await postCim(
      t,
      a.bl,
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`,
      "text/xml",
    );
    expect(r.status).toBe(400);
    expect(r.text).toContain("http://schemas.xmlsoap.org/soap/envelope/");
    assertValidReply(r);
    expect(r.root).toBe("FaultMessage");
    expect(r.msg.Reply.Error[0].code).toBe("1.1");
  });
});
