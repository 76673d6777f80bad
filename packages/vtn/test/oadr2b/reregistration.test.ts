// oadrRequestReregistration end to end: the BL asks over the 3.1 extension
// POST /vens/{venID}/oadr2b/reregistration (core's policy: BL only); a pull VEN gets the message
// on its next oadrPoll, a push VEN is sent it; the SDK's VEN answers oadrResponse and registers
// again with its registrationID (oadr_20b.xsd oadrRequestReregistrationType, DIGEST-openadr.md 2.4).
import { Oadr2bPushReceiver } from "@gridlink/ven/oadr2b";
import { startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, sdkVen, Ven2b } from "./client.ts";

let t: TestVtn;
let bl: string;
const root = () => new URL(t.url).origin;
const ask = (token: string, venID: string) => t.call(token, "POST", `/vens/${venID}/oadr2b/reregistration`);

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
});
afterAll(() => t.close());

describe("who may ask", () => {
  it("a VEN may not (403), an unknown ven is 404, a ven never registered over 2.0b is 404, no token 401", async () => {
    const venToken = await t.token(t.vens[0]);
    const r403 = await ask(venToken, t.vens[0].venID);
    expect(r403.status).toBe(403);
    expect(r403.headers.get("content-type")).toMatch(/problem\+json/);
    expect((await ask(bl, "no-such-ven")).status).toBe(404);
    const unregistered = await ask(bl, t.vens[1].venID);
    expect(unregistered.status).toBe(404);
    expect(unregistered.body.detail).toMatch(/no OpenADR 2.0b registration/);
    const res = await fetch(`${t.url}/vens/${t.vens[0].venID}/oadr2b/reregistration`, { method: "POST" });
    expect(res.status).toBe(401);
  });

  it("a venID that is no object id is a 400 naming it (a NUL byte was a 500 on PostgreSQL)", async () => {
    const r = await ask(bl, "%00");
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/venID/);
  });

  it("the served OpenAPI document has the operation", async () => {
    const doc = (await t.call(bl, "GET", "/openapi.json")).body;
    expect(doc.paths["/vens/{venID}/oadr2b/reregistration"].post.operationId).toBe("requestOadr2bReregistration");
  });
});

describe("a pull VEN", () => {
  it("gets oadrRequestReregistration on its next poll, answers it and registers again with its registrationID", async () => {
    const ven = new Ven2b(root(), await t.token(t.vens[0]));
    const first = await ven.register();
    const venID = first.body.venID[0];
    await ven.drain(venID);
    const r = await ask(bl, venID);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ venID, registrationID: first.body.registrationID, transport: "pull" });
    const polled = await ven.poll(venID);
    expect(polled.name).toBe("oadrRequestReregistration");
    expect(polled.body.venID).toEqual([venID]);
    // Sent once: the next poll has nothing.
    expect((await ven.poll(venID)).name).toBe("oadrResponse");
    const again = await ven.register({ registrationID: first.body.registrationID });
    expect(code(again)).toBe("200");
    expect(again.body.registrationID).toBe(first.body.registrationID);
  });

  it("the SDK's VEN answers oadrResponse and sends oadrCreatePartyRegistration with its registrationID", async () => {
    const v = t.vens[0];
    const sdk = sdkVen(t, v);
    await sdk.register();
    await sdk.pollNow();
    const registrationID = sdk.registrationID;
    const registrations = sdk.client.sentByName.get("oadrCreatePartyRegistration") ?? 0;
    expect((await ask(bl, sdk.venID)).status).toBe(202);
    const names = await sdk.pollNow();
    expect(names[0]).toBe("oadrRequestReregistration");
    expect(sdk.client.sentByName.get("oadrResponse")).toBe(1);
    expect(sdk.client.sentByName.get("oadrCreatePartyRegistration")).toBe(registrations + 1);
    expect(sdk.registrationID).toBe(registrationID);
    expect(sdk.venID).toBe(v.venID);
    await sdk.stop();
  });
});

describe("a push VEN", () => {
  it("is sent oadrRequestReregistration at its address and registers again", async () => {
    const errors: Error[] = [];
    const receiver = new Oadr2bPushReceiver({ onError: (e) => errors.push(e) });
    const address = await receiver.listen();
    const v = t.vens[1];
    const sdk = sdkVen(t, v, {
      pull: false,
      transportAddress: address,
      onError: (e) => errors.push(e),
    });
    receiver.attach(sdk);
    try {
      await sdk.start();
      await until("the VTN's oadrRegisterReport by push", () => receiver.received.includes("oadrRegisterReport"));
      await receiver.settled();
      const registrationID = sdk.registrationID;
      const r = await ask(bl, sdk.venID);
      expect(r.status).toBe(202);
      expect(r.body.transport).toBe("push");
      await until("oadrRequestReregistration by push", () => receiver.received.includes("oadrRequestReregistration"));
      await until("registered again", () => (sdk.client.sentByName.get("oadrCreatePartyRegistration") ?? 0) >= 2);
      await receiver.settled();
      expect(sdk.client.sentByName.get("oadrResponse")).toBe(1);
      expect(sdk.registrationID).toBe(registrationID);
      expect(errors).toEqual([]);
    } finally {
      await sdk.stop();
      await receiver.close();
    }
  });
});
