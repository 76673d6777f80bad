// Notifications follow the read rules (Definition.md §Object Privacy): the VTN uses the
// subscription's clientID to find what its owner may read. VEN B never hears of VEN A's reports,
// ven, resources or subscriptions, nor of events targeted at VEN A only; targets it was not
// granted are hidden from it, and its subscription's targets filter like a query's.

import {
  eventBody,
  type Receiver,
  startReceiver,
  startTestVtn,
  subscription,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("notification privacy", () => {
  let t: TestVtn;
  let bl: string;
  let venA: string;
  let venB: string;
  let rx: Receiver;
  const all = ["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE"];
  const at = (path: string) => rx.received.filter((g) => g.path === path);
  beforeAll(async () => {
    t = await startTestVtn();
    [bl, venA, venB] = await Promise.all([t.token(t.bl), t.token(t.vens[0]), t.token(t.vens[1])]);
    rx = await startReceiver();
    for (const [tok, path] of [
      [venA, "/a"],
      [venB, "/b"],
      [bl, "/bl"],
    ])
      expect((await t.call(tok, "POST", "/subscriptions", subscription(`${rx.url}${path}`, all))).status).toBe(201);
    await t.vtn.notifier.settled();
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it("VEN B never receives VEN A's report, resource or subscription notifications; BL receives them all", async () => {
    const p = (await t.call(bl, "POST", "/programs", { programName: "privacy" })).body;
    const e = (await t.call(bl, "POST", "/events", eventBody(p.id))).body;
    const report = {
      eventID: e.id,
      programID: p.id,
      clientName: "a",
      resources: [{ resourceName: "m", intervals: [{ id: 0, payloads: [{ type: "USAGE", values: [7] }] }] }],
    };
    const rep = (await t.call(venA, "POST", "/reports", report)).body;
    await t.call(venA, "PUT", `/reports/${rep.id}`, { ...report, reportName: "changed" });
    const res = (await t.call(venA, "POST", "/resources", { resourceName: "a-meter", venID: t.vens[0].venID })).body;
    const sub = (await t.call(venA, "POST", "/subscriptions", subscription(`${rx.url}/a2`, ["EVENT"]))).body;
    await t.vtn.notifier.settled();
    const ids = (path: string) => at(path).map((g) => g.body.object.id);
    for (const id of [rep.id, res.id, sub.id]) {
      expect(ids("/a")).toContain(id);
      expect(ids("/bl")).toContain(id);
      expect(ids("/b")).not.toContain(id);
    }
    expect(JSON.stringify(at("/b"))).not.toContain(t.vens[0].clientId);
    // Both VENs may read the untargeted program and event.
    expect(ids("/b")).toEqual(expect.arrayContaining([p.id, e.id]));
  });

  it("an event targeted at VEN A reaches A (targets hidden to those granted) and BL, never B", async () => {
    const p = (await t.call(bl, "POST", "/programs", { programName: "targeted" })).body;
    const e = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo-ven-1", "secret-group"] }))).body;
    const both = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo"] }))).body;
    await t.vtn.notifier.settled();
    const of = (path: string, id: string) => at(path).find((g) => g.body.object.id === id)?.body;
    expect(of("/b", e.id)).toBeUndefined();
    expect(of("/a", e.id)).toMatchObject({ objectType: "EVENT", operation: "CREATE", targets: ["demo-ven-1"] });
    expect(of("/a", e.id).object.targets).toEqual(["demo-ven-1"]);
    expect(of("/a", e.id).object).toEqual((await t.call(venA, "GET", `/events/${e.id}`)).body);
    expect(of("/bl", e.id).object.targets).toEqual(["demo-ven-1", "secret-group"]);
    expect(of("/b", both.id)?.targets).toEqual(["demo"]);
  });

  it("when BL takes a target away, the VEN no longer hears of the event", async () => {
    const p = (await t.call(bl, "POST", "/programs", { programName: "regrant" })).body;
    const venObj = (await t.call(bl, "GET", `/vens/${t.vens[1].venID}`)).body;
    await t.call(bl, "PUT", `/vens/${venObj.id}`, {
      venName: venObj.venName,
      clientID: venObj.clientID,
      targets: ["demo-ven-2", "late"],
    });
    const e = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["late"] }))).body;
    await t.vtn.notifier.settled();
    expect(at("/b").some((g) => g.body.object.id === e.id)).toBe(true);
    await t.call(bl, "PUT", `/vens/${venObj.id}`, {
      venName: venObj.venName,
      clientID: venObj.clientID,
      targets: venObj.targets,
    });
    await t.call(bl, "PUT", `/events/${e.id}`, eventBody(p.id, { targets: ["late"], eventName: "after" }));
    await t.vtn.notifier.settled();
    expect(at("/b").some((g) => g.body.object.id === e.id && g.body.operation === "UPDATE")).toBe(false);
    expect(at("/bl").some((g) => g.body.object.id === e.id && g.body.operation === "UPDATE")).toBe(true);
  });

  it("a subscription's targets filter like a query's targets", async () => {
    const sub = subscription(`${rx.url}/a-only`, ["EVENT"], ["CREATE"], { targets: ["demo-ven-1"] });
    expect((await t.call(venA, "POST", "/subscriptions", sub)).status).toBe(201);
    const p = (await t.call(bl, "POST", "/programs", { programName: "filtered" })).body;
    const mine = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo-ven-1", "demo"] }))).body;
    await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo"] }));
    await t.call(bl, "POST", "/events", eventBody(p.id));
    await t.vtn.notifier.settled();
    const got = at("/a-only");
    expect(got.map((g) => g.body.object.id)).toEqual([mine.id]);
    expect(got[0].body.targets).toEqual(["demo-ven-1"]);
  });
});
