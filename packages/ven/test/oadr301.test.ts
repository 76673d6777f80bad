// The SDK against an OpenADR 3.0.1 VTN (gridlink's /openadr3/3.0.1): the same typed clients and
// canonical objects, the version chosen by the base URL; what is written over 3.0.1 is what a 3.1
// client reads.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlClient, NotFoundError, VenClient, WebhookServer } from "../src/index.ts";

describe("the SDK talks to a 3.0.1 VTN", () => {
  let t: TestVtn;
  let url301: string;
  const paths: string[] = [];
  const observe = { onExchange: (e: { url: string }) => paths.push(new URL(e.url).pathname) };
  let bl: BlClient;
  let ven: VenClient;
  let bl31: BlClient;

  beforeAll(async () => {
    t = await startTestVtn();
    url301 = t.url.replace("/3.1.0", "/3.0.1");
    bl = new BlClient({ baseUrl: url301, ...t.bl, ...observe });
    ven = new VenClient({ baseUrl: url301, ...t.vens[0], ...observe });
    bl31 = new BlClient({ baseUrl: t.url, ...t.bl });
  });
  afterAll(() => t.close());

  it("gets its token from the 3.0.1 auth/token (there is no /auth/server) and only 3.0.1 paths are used", async () => {
    await ven.programs.list();
    expect(paths).toContain("/openadr3/3.0.1/auth/token");
    expect(paths.every((p) => p.startsWith("/openadr3/3.0.1/"))).toBe(true);
    expect(await ven.notifiers.list()).toEqual({ WEBHOOK: true });
  });

  it("BL writes a program and event, a VEN polls it and reports; a 3.1 client reads the same objects", async () => {
    const p = await bl.programs.create({
      programName: "sdk-301",
      attributes: [{ type: "RETAILER_NAME", values: ["ACME"] }],
      targets: ["demo"],
    });
    expect(p.attributes).toEqual([{ type: "RETAILER_NAME", values: ["ACME"] }]);
    expect(p.targets).toEqual(["demo"]);
    const e = await bl.events.create({
      programID: p.id,
      targets: ["demo-ven-1"],
      intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    const polled = await ven.events.all({ programID: p.id, targets: ["demo-ven-1"] });
    expect(polled.map((x) => x.id)).toEqual([e.id]);
    expect(polled[0].targets).toEqual(["demo-ven-1"]);
    expect((await ven.events.list({ programID: p.id, active: true })).map((x) => x.id)).toEqual([e.id]);

    const r = await ven.reports.create({
      eventID: e.id,
      clientName: "sdk-ven",
      resources: [{ resourceName: "meter", intervals: [{ id: 0, payloads: [{ type: "USAGE", values: [3] }] }] }],
    });
    expect((await bl31.reports.get(r.id)).clientName).toBe("sdk-ven");
    expect((await bl31.programs.get(p.id)).attributes).toEqual([{ type: "RETAILER_NAME", values: ["ACME"] }]);
  });

  it("resources are reached under their ven, by id alone too", async () => {
    const venID = t.vens[0].venID;
    const r = await ven.resources.create({ resourceName: "sdk-battery", venID });
    expect(r.venID).toBe(venID);
    expect((await ven.resources.list({ venID })).map((x) => x.resourceName)).toContain("sdk-battery");
    // A fresh client knows no resource yet: it finds the ven through the vens' embedded resources.
    const fresh = new VenClient({ baseUrl: url301, ...t.vens[0] });
    expect((await fresh.resources.get(r.id)).resourceName).toBe("sdk-battery");
    const u = await fresh.resources.update(r.id, { resourceName: "sdk-battery-2", venID });
    expect(u.resourceName).toBe("sdk-battery-2");
    await fresh.resources.delete(r.id);
    await expect(ven.resources.get(r.id)).rejects.toBeInstanceOf(NotFoundError);
    const v = await ven.vens.get(venID);
    expect(v.targets).toEqual(["demo", "demo-ven-1"]);
  });

  it("subscriptions go over 3.0.1 with the echo check", async () => {
    const hooks = new WebhookServer();
    await hooks.listen();
    try {
      const p = await bl.programs.create({ programName: "sdk-301-subs" });
      const callbackUrl = hooks.route("/sdk-301", { onNotification: () => {} });
      const s = await ven.subscriptions.create({
        clientName: "sdk-ven",
        programID: p.id,
        objectOperations: [{ objects: ["EVENT"], operations: ["CREATE"], callbackUrl }],
      });
      expect((await ven.subscriptions.get(s.id)).programID).toBe(p.id);
      await ven.subscriptions.delete(s.id);
    } finally {
      await hooks.close();
    }
  });
});
