// Every 2.0b message finds the asking client's registrations (bindings/oadr2b/registrations.ts);
// on SQLite they are remembered as last read until the binding writes the table. Each test lets
// a VEN's polls be answered from memory (idle polls), writes the table one way, and checks that
// the very next message sees the write: a cancel by the VEN or by the VTN, a new registration of
// the same client, a re-registration, the distribution marked as given. The same file runs on
// PostgreSQL, where every message reads the table.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Registration } from "../../src/bindings/oadr2b/context.ts";
import { RegistrationMemory } from "../../src/bindings/oadr2b/registrations.ts";
import { code, Ven2b } from "./client.ts";

let t: TestVtn;
let bl: string;
let ven: Ven2b;
let other: Ven2b;

const cancel = (registrationID: string, venID: string) =>
  `<oadr:oadrCancelPartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>cancel-1</pyld:requestID><ei:registrationID>${registrationID}</ei:registrationID><ei:venID>${venID}</ei:venID></oadr:oadrCancelPartyRegistration>`;

/** Registers (a new registration), polls until nothing is due, then twice more: remembered now. */
async function registeredAndIdle(v: Ven2b, opts: { venName?: string } = {}) {
  const reg = await v.register(opts);
  expect(code(reg)).toBe("200");
  const venID: string = reg.body.venID[0];
  const registrationID: string = reg.body.registrationID;
  await v.drain(venID);
  for (let i = 0; i < 2; i++) expect((await v.poll(venID)).name).toBe("oadrResponse");
  return { venID, registrationID };
}

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
  other = new Ven2b(new URL(t.url).origin, await t.token(t.vens[1]));
});
afterAll(() => t.close());

describe("a write of the registrations is seen by the very next message", () => {
  it("the VEN cancels its registration: its next poll is refused (463), and a new registration is taken", async () => {
    const { venID, registrationID } = await registeredAndIdle(ven);
    const otherIds = await registeredAndIdle(other);
    const canceled = await ven.message("EiRegisterParty", cancel(registrationID, venID));
    expect(canceled.name).toBe("oadrCanceledPartyRegistration");
    expect(code(canceled)).toBe("200");
    const refused = await ven.poll(venID);
    expect(refused.name).toBe("oadrResponse");
    expect(code(refused)).toBe("463");
    // Another client's registration is untouched.
    expect(code(await other.poll(otherIds.venID))).toBe("200");
    const again = await ven.register();
    expect(code(again)).toBe("200");
    expect(again.body.registrationID).not.toBe(registrationID);
    expect((await ven.poll(venID)).name).toBe("oadrRegisterReport");
  });

  it("the VTN cancels (the ven deleted over 3.1): the next poll is its cancel, the one after a refusal", async () => {
    const { venID } = await registeredAndIdle(other);
    expect((await t.call(bl, "DELETE", `/vens/${venID}`)).status).toBe(200);
    const r = await other.poll(venID);
    expect(r.name).toBe("oadrCancelPartyRegistration");
    expect(r.body.venID).toEqual([venID]);
    expect(code(await other.poll(venID))).toBe("463");
  });

  it("a second ven registered by the same client is found by the very next poll naming it", async () => {
    const first = await registeredAndIdle(ven);
    const reg = await ven.register({ venName: `${t.vens[0].venName}-second` });
    expect(code(reg)).toBe("200");
    const second: string = reg.body.venID[0];
    expect(second).not.toBe(first.venID);
    const r = await ven.poll(second);
    expect(r.name).toBe("oadrRegisterReport");
    expect(r.body.venID).toEqual([second]);
    expect((await ven.poll(first.venID)).name).toBe("oadrResponse");
  });

  it("a re-registration (same registrationID): the next poll has the events again, then nothing", async () => {
    const { venID, registrationID } = await registeredAndIdle(ven);
    const programID = (await t.call(bl, "POST", "/programs", { programName: "registration-memory" })).body.id;
    const event = await t.call(bl, "POST", "/events", {
      programID,
      targets: [t.vens[0].venName],
      intervalPeriod: { start: "2031-06-01T12:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [3] }] }],
    });
    expect(event.status).toBe(201);
    // The distribution is given once (marked as given: the next poll is idle)...
    expect((await ven.poll(venID)).name).toBe("oadrDistributeEvent");
    expect((await ven.poll(venID)).name).toBe("oadrResponse");
    // ...and again after a re-registration, which forgets what was given.
    const again = await ven.register({ registrationID });
    expect(code(again)).toBe("200");
    const r = await ven.poll(venID);
    expect(r.name).toBe("oadrDistributeEvent");
    expect(r.text).toContain(event.body.id);
    expect((await ven.poll(venID)).name).toBe("oadrResponse");
  });
});

describe("the memory itself (SQLite)", () => {
  // Only the fields the memory reads; the rest of a row does not matter to it.
  const row = (venId: string, clientId: string) => ({ ven_id: venId, client_id: clientId }) as unknown as Registration;

  it("a write of one ven's row forgets its client's rows only; a new client's row forgets that client", () => {
    const m = new RegistrationMemory();
    m.remember("a", m.stamp(), [row("ven-a1", "a"), row("ven-a2", "a")]);
    m.remember("b", m.stamp(), [row("ven-b1", "b")]);
    m.remember("c", m.stamp(), []);
    m.forget("ven-a2");
    expect(m.get("a")).toBeUndefined();
    expect(m.get("b")?.map((r) => r.ven_id)).toEqual(["ven-b1"]);
    // A registration of a ven not remembered yet, for a client remembered with none.
    m.forget("ven-c1", "c");
    expect(m.get("c")).toBeUndefined();
    expect(m.get("b")).toBeDefined();
  });

  it("rows read before a write are not kept", () => {
    const m = new RegistrationMemory();
    const stamp = m.stamp();
    m.forget("ven-x", "x");
    m.remember("b", stamp, [row("ven-b1", "b")]);
    expect(m.get("b")).toBeUndefined();
  });
});
