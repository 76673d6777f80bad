// CIM messages are deliveries of the notifier's outbox (channel CIM): an asynchronous reply whose
// ReplyAddress keeps failing becomes a dead letter the BL sees by the acknowledgement's Reply/ID
// in GET /gridlink/deliveries (a VEN never does); a listener registered over SOAP 1.2 gets its
// EventMessages in a SOAP 1.2 envelope, as application/soap+xml.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postCim, request, startXmlReceiver } from "./cim-client.ts";

const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
const opt = (name: string, value: string) =>
  `<msg:Option><msg:name>${name}</msg:name><msg:value>${value}</msg:value></msg:Option>`;
const soap12 = (xml: string) =>
  `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body>${xml.replace(/^<\?xml[^>]*\?>\s*/, "")}</soap:Body></soap:Envelope>`;

let t: TestVtn;
let ok: Awaited<ReturnType<typeof startXmlReceiver>>;
let failing: Awaited<ReturnType<typeof startXmlReceiver>>;

beforeAll(async () => {
  t = await startTestVtn({ webhookRetryBaseMs: 20, webhookRetryMaxMs: 50, webhookMaxAttempts: 2 });
  ok = await startXmlReceiver();
  failing = await startXmlReceiver(() => 500);
});
afterAll(async () => {
  await t.close();
  await ok.close();
  await failing.close();
});

describe("CIM messages in the notifier's outbox", () => {
  it("an asynchronous reply that cannot be delivered is a dead letter the BL sees under its Reply/ID", async () => {
    const bl = await t.token(t.bl);
    const r = await postCim(
      t,
      bl,
      request({
        verb: "get",
        noun: "EndDeviceEvents",
        messageID: "outbox-1",
        extra: `<msg:AsyncReplyFlag>true</msg:AsyncReplyFlag><msg:ReplyAddress>${failing.url}/replies</msg:ReplyAddress>`,
      }),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    const id = r.msg.Reply.ID["#text"] ?? r.msg.Reply.ID;
    await expect
      .poll(async () => (await t.call(bl, "GET", `/gridlink/deliveries/${id}`)).body.state, { timeout: 10_000 })
      .toBe("DEAD");
    const d = (await t.call(bl, "GET", `/gridlink/deliveries/${id}`)).body;
    expect(d).toMatchObject({
      channel: "CIM",
      clientID: t.bl.clientId,
      callbackUrl: `${failing.url}/replies`,
      objectType: "EndDeviceEvents",
      operation: "REPLY",
      objectID: "outbox-1",
      attempts: 2,
      lastStatus: 500,
    });
    expect(failing.attempts()).toBeGreaterThanOrEqual(2);
    const listed = (await t.call(bl, "GET", "/gridlink/deliveries?channel=CIM&state=DEAD")).body;
    expect(listed.map((x: { id: string }) => x.id)).toContain(id);
    // A VEN sees no CIM message, nor this one by its id.
    const ven = await t.token(t.vens[0]);
    expect((await t.call(ven, "GET", "/gridlink/deliveries?channel=CIM")).body).toEqual([]);
    expect((await t.call(ven, "GET", `/gridlink/deliveries/${id}`)).status).toBe(404);
  });

  it("a listener registered over SOAP 1.2 gets its EventMessages in SOAP 1.2", async () => {
    const bl = await t.token(t.bl);
    const reg = await postCim(
      t,
      bl,
      soap12(
        request(
          { verb: "create", noun: "EventSubscription" },
          { request: `${opt("address", `${ok.url}/soap`)}${opt("noun", "EndDeviceControls")}` },
        ),
      ),
      "application/soap+xml",
    );
    expect(reg.msg.Reply.Result).toBe("OK");
    const programID = (await t.call(bl, "POST", "/programs", { programName: "soap-events" })).body.id;
    const event = (
      await t.call(bl, "POST", "/events", {
        programID,
        intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
      })
    ).body;
    const got = () => ok.received.filter((x) => x.path === "/soap" && x.text.includes(event.id));
    await expect.poll(() => got().length, { timeout: 10_000 }).toBeGreaterThan(0);
    const [m] = got();
    expect(m.contentType).toBe("application/soap+xml; charset=utf-8");
    expect(m.root).toBe("Envelope");
    expect(m.text).toContain(`xmlns:soap="${SOAP12}"`);
    expect(m.msg.Body.EventMessage.Header.Verb).toBe("created");
    expect(m.msg.Body.EventMessage.Header.Noun).toBe("EndDeviceControls");
  });
});
