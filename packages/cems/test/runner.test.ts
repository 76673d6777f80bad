// The site runner against a real VTN: targets granted later take effect after a sync.
import { BlClient, VenClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildResources, ManualClock, Site, SiteRunner } from "../src/index.ts";

const T0 = Date.parse("2030-01-01T12:00:00Z");

describe("SiteRunner", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t?.close());

  it("acts on an event once BL grants the ven its target, after a sync", async () => {
    const bl = new BlClient({ baseUrl: t.url, ...t.bl });
    const program = await bl.programs.create({ programName: "groups" });
    await bl.events.create({
      programID: program.id,
      targets: ["group-x"],
      intervalPeriod: { start: "2030-01-01T12:00:00Z", duration: "PT2H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [3] }] }],
    });
    const clock = new ManualClock(new Date(T0));
    const site = new Site({ name: "s", resources: buildResources([{ type: "load", name: "house", averageKw: 1 }]) });
    const seen: string[][] = [];
    const runner = new SiteRunner({
      site,
      client: new VenClient({ baseUrl: t.url, ...t.vens[0] }),
      clock,
      venName: "demo-ven-1",
      intake: { mqtt: false, pollMs: 60_000 },
      onStep: (_r, d) => seen.push(d.inForce),
    });
    try {
      expect(await runner.start()).toBe("poll");
      await runner.advanceTo(clock.advance(60_000));
      expect(seen.at(-1)).toEqual([]);
      await bl.vens.update(t.vens[0].venID, {
        venName: "demo-ven-1",
        clientID: t.vens[0].clientId,
        targets: ["demo", "demo-ven-1", "group-x"],
      });
      await runner.sync();
      expect(runner.venTargets).toContain("group-x");
      await runner.advanceTo(clock.advance(60_000));
      expect(seen.at(-1)).toEqual(["SIMPLE"]);
    } finally {
      await runner.stop();
    }
  });
});
