// Definition.md §POST and PUT, §Object Metadata, §VEN created object privacy: the VTN sets id,
// createdDateTime, modificationDateTime, objectType (and clientID from the token) itself and
// ignores whatever a body says about them.

import {
  type Actors,
  actors,
  bodies,
  expectOk,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const FORGED = {
  id: "forged-id",
  createdDateTime: "2000-01-01T00:00:00Z",
  modificationDateTime: "2000-01-01T00:00:00Z",
  objectType: "SOMETHING_ELSE",
};

describe("VTN-owned fields in request bodies", () => {
  let t: TestVtn;
  let a: Actors;
  let hook: Receiver;
  let programID: string;
  let eventID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    hook = await startReceiver();
    programID = (await t.call(a.bl, "POST", "/programs", bodies.program("owned-program"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID))).body.id;
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  const cases = () => [
    { path: "/programs", token: a.bl, type: "PROGRAM", body: (n: number) => bodies.program(`owned-p-${n}`) },
    { path: "/events", token: a.bl, type: "EVENT", body: () => bodies.event(programID) },
    { path: "/reports", token: a.ven1, type: "REPORT", body: () => bodies.report(eventID), owner: t.vens[0].clientId },
    {
      path: "/subscriptions",
      token: a.ven1,
      type: "SUBSCRIPTION",
      body: () => bodies.subscription(hook.callbackUrl),
      owner: t.vens[0].clientId,
    },
    {
      path: "/vens",
      token: a.ven1,
      type: "VEN",
      body: (n: number) => ({ venName: `owned-v-${n}` }),
      owner: t.vens[0].clientId,
    },
    {
      path: "/resources",
      token: a.ven1,
      type: "RESOURCE",
      body: (n: number) => bodies.resource(`owned-r-${n}`, t.vens[0].venID),
      owner: t.vens[0].clientId,
    },
  ];

  it("are ignored on POST of every object type (and clientID comes from the token)", async () => {
    let n = 0;
    for (const c of cases()) {
      const before = Date.now();
      const o = expectOk(
        await t.call(c.token, "POST", c.path, { ...c.body(++n), ...FORGED, clientID: "forged-client" }),
        201,
      );
      expect(o.id, c.path).not.toBe(FORGED.id);
      expect(o.objectType, c.path).toBe(c.type);
      expect(Date.parse(o.createdDateTime), c.path).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(o.modificationDateTime), c.path).toBeGreaterThanOrEqual(before - 1000);
      if (c.owner) expect(o.clientID, c.path).toBe(c.owner);
      expectOk(await t.call(c.token, "GET", `${c.path}/${o.id}`));
    }
    expect((await t.call(a.bl, "GET", `/programs/${FORGED.id}`)).status).toBe(404);
  });

  it("are ignored on PUT of every object type: the path names the object, the VTN keeps its metadata", async () => {
    let n = 100;
    for (const c of cases()) {
      const o = expectOk(await t.call(c.token, "POST", c.path, c.body(++n)), 201);
      const u = expectOk(
        await t.call(c.token, "PUT", `${c.path}/${o.id}`, { ...c.body(n), ...FORGED, clientID: "forged-client" }),
      );
      expect(u.id, c.path).toBe(o.id);
      expect(u.createdDateTime, c.path).toBe(o.createdDateTime);
      expect(u.objectType, c.path).toBe(c.type);
      expect(Date.parse(u.modificationDateTime), c.path).toBeGreaterThanOrEqual(Date.parse(o.modificationDateTime));
      if (c.owner) expect(u.clientID, c.path).toBe(c.owner);
    }
  });

  it("BL's subscriptions are stamped with BL's client id, whatever the body says", async () => {
    const s = expectOk(
      await t.call(a.bl, "POST", "/subscriptions", { ...bodies.subscription(hook.callbackUrl), clientID: "forged" }),
      201,
    );
    expect(s.clientID).toBe(t.bl.clientId);
  });
});
