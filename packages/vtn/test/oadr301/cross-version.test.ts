// One core, two versions: whatever 3.1 writes, 3.0.1 reads, and the other way round — a 3.0.1 VEN
// polls an event a 3.1 BL created, a 3.1 BL reads a 3.0.1 VEN's report, a ven with resources
// created over 3.1 appears nested over 3.0.1, and typed 3.0.1 targets grant across versions.
import {
  type Actors,
  actors,
  bodies,
  expectOk,
  startCallbackServer,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodies301, call301, ok301 } from "./support.ts";

describe("objects are shared by OpenADR 3.1.0 and 3.0.1", () => {
  let t: TestVtn;
  let a: Actors;
  let call: ReturnType<typeof call301>;

  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    call = call301(t);
  });
  afterAll(() => t.close());

  it("a 3.0.1 VEN polls an event a 3.1 BL created, and reports on it; 3.1 BL reads the report", async () => {
    const p = expectOk(
      await t.call(
        a.bl,
        "POST",
        "/programs",
        bodies.program("tariff-31", {
          attributes: [
            { type: "PROGRAM_LONG_NAME", values: ["A 3.1 tariff"] },
            { type: "RETAILER_NAME", values: ["ACME"] },
          ],
          targets: ["demo"],
        }),
      ),
      201,
    );
    const e = expectOk(
      await t.call(a.bl, "POST", "/events", {
        programID: p.id,
        targets: ["demo-ven-1"],
        duration: "P1D",
        intervals: [{ id: 0, intervalPeriod: { duration: "PT1H" }, payloads: [{ type: "PRICE", values: [0.2] }] }],
      }),
      201,
    );

    const prog = ok301(await call(a.ven1, "GET", `/programs/${p.id}`), "program");
    expect(prog).toMatchObject({ programLongName: "A 3.1 tariff", retailerName: "ACME" });
    expect(prog.targets).toEqual([{ type: "TARGET", values: ["demo"] }]);
    const polled = ok301(await call(a.ven1, "GET", `/events?programID=${p.id}`), "event");
    expect(polled.map((x: { id: string }) => x.id)).toEqual([e.id]);
    expect(polled[0].intervals[0].intervalPeriod).toEqual({ start: "0001-01-01T00:00:00Z", duration: "PT1H" });
    expect(ok301(await call(a.ven2, "GET", `/events?programID=${p.id}`), "event")).toEqual([]);

    const r = ok301(
      await call(a.ven1, "POST", "/reports", bodies301.report(p.id, e.id, { reportName: "from 3.0.1" })),
      "report",
      201,
    );
    const seen31 = expectOk(await t.call(a.bl, "GET", `/reports?eventID=${e.id}`));
    expect(seen31.map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect(seen31[0]).toMatchObject({ reportName: "from 3.0.1", clientID: t.vens[0].clientId });
    expect(expectOk(await t.call(a.bl, "GET", `/reports?programID=${p.id}`)).map((x: { id: string }) => x.id)).toEqual([
      r.id,
    ]);

    // A report written over 3.1 (no programID there) gets its event's program over 3.0.1.
    const r31 = expectOk(await t.call(a.ven1, "POST", "/reports", bodies.report(e.id)), 201);
    expect(ok301(await call(a.bl, "GET", `/reports/${r31.id}`), "report").programID).toBe(p.id);
  });

  it("a 3.0.1 BL's program and event read over 3.1 as attributes and typed targets", async () => {
    const p = ok301(
      await call(
        a.bl,
        "POST",
        "/programs",
        bodies301.program("tariff-301", { programType: "PRICING_TARIFF", targets: [{ type: "GROUP", values: ["g"] }] }),
      ),
      "program",
      201,
    );
    const p31 = expectOk(await t.call(a.bl, "GET", `/programs/${p.id}`));
    expect(p31.attributes).toEqual([{ type: "PROGRAM_TYPE", values: ["PRICING_TARIFF"] }]);
    expect(p31.targets).toEqual(["GROUP:g"]);
    expect(p31.programType).toBeUndefined();

    // A 3.1 edit the 3.0.1 program cannot show survives a 3.0.1 update.
    expectOk(
      await t.call(a.bl, "PUT", `/programs/${p.id}`, {
        ...p31,
        attributes: [...p31.attributes, { type: "X_ONLY_31", values: [1] }],
      }),
    );
    ok301(await call(a.bl, "PUT", `/programs/${p.id}`, bodies301.program("tariff-301", { country: "DE" })), "program");
    expect(expectOk(await t.call(a.bl, "GET", `/programs/${p.id}`)).attributes).toEqual([
      { type: "X_ONLY_31", values: [1] },
      { type: "COUNTRY", values: ["DE"] },
    ]);
  });

  it("a typed target granted over 3.0.1 opens a 3.1 event targeted GROUP:x to that VEN", async () => {
    const ven2 = t.vens[1].venID;
    const p = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("grouped")), 201);
    const e = expectOk(await t.call(a.bl, "POST", "/events", bodies.event(p.id, { targets: ["GROUP:x"] })), 201);
    expect(ok301(await call(a.ven2, "GET", `/events?programID=${p.id}`), "event")).toEqual([]);
    ok301(
      await call(
        a.bl,
        "POST",
        `/vens/${ven2}/resources`,
        bodies301.resource("grouped-meter", { targets: [{ type: "GROUP", values: ["x"] }] }),
      ),
      "resource",
      201,
    );
    const polled = ok301(await call(a.ven2, "GET", "/events?targetType=GROUP&targetValues=x"), "event");
    expect(polled.map((x: { id: string }) => x.id)).toEqual([e.id]);
    expect(polled[0].targets).toEqual([{ type: "GROUP", values: ["x"] }]);
    expect(expectOk(await t.call(a.ven2, "GET", `/events/${e.id}`)).targets).toEqual(["GROUP:x"]);
  });

  it("a ven with resources created over 3.1 appears with them nested over 3.0.1, and back", async () => {
    const v = expectOk(
      await t.call(a.bl, "POST", "/vens", bodies.blVen("site-31", t.vens[0].clientId, { targets: ["site"] })),
      201,
    );
    const r = expectOk(await t.call(a.bl, "POST", "/resources", bodies.resource("battery", v.id)), 201);
    const v301 = ok301(await call(a.ven1, "GET", `/vens/${v.id}`), "ven");
    expect(v301.targets).toEqual([{ type: "TARGET", values: ["site"] }]);
    expect(v301.resources.map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect(
      ok301(await call(a.ven1, "GET", `/vens/${v.id}/resources`), "resource").map((x: { id: string }) => x.id),
    ).toEqual([r.id]);

    const made = ok301(
      await call(a.ven1, "POST", `/vens/${v.id}/resources`, bodies301.resource("pv")),
      "resource",
      201,
    );
    const seen31 = expectOk(await t.call(a.ven1, "GET", `/resources?venID=${v.id}`));
    expect(seen31.map((x: { id: string }) => x.id).sort()).toEqual([r.id, made.id].sort());
    expect(seen31.find((x: { id: string }) => x.id === made.id).clientID).toBe(t.vens[0].clientId);
  });

  it("a subscription written over 3.0.1 is a subscription over 3.1, marked for 3.0.1 notifications", async () => {
    const p = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("subscribed")), 201);
    const hook = await startCallbackServer();
    const s = ok301(
      await call(a.ven1, "POST", "/subscriptions", bodies301.subscription(p.id, hook.url)),
      "subscription",
      201,
    ).id;
    await hook.close();
    const s31 = expectOk(await t.call(a.ven1, "GET", `/subscriptions/${s}`));
    expect(s31).toMatchObject({ programID: p.id, notificationVersion: "3.0.1", clientID: t.vens[0].clientId });
  });
});
