import type { Event, Program } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { eventListing, layoutLanes, NO_INTERVALS_HINT, ticks, UNTARGETED } from "../src/logic/timeline.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const program = (id: string, name: string): Program => ({ ...meta, id, objectType: "PROGRAM", programName: name });
const event = (id: string, programID: string, start: string, prices: number[], targets?: string[]): Event => ({
  ...meta,
  id,
  objectType: "EVENT",
  programID,
  targets,
  intervalPeriod: { start, duration: "PT1H" },
  payloadDescriptors: [{ objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" }],
  intervals: prices.map((v, i) => ({ id: i, payloads: [{ type: "PRICE", values: [v] }] })),
});

const now = new Date("2030-05-01T08:00:00Z");
const w = { from: Date.parse("2030-05-01T00:00:00Z"), to: Date.parse("2030-05-02T00:00:00Z") };

describe("the event timeline", () => {
  const programs = [program("p1", "Tariff"), program("p2", "Alerts")];
  const events = [
    event("e1", "p1", "2030-05-01T10:00:00Z", [0.2, 0.4, 0.1], ["demo"]),
    event("e2", "p1", "2030-05-01T11:00:00Z", [0.3]),
    event("e3", "p1", "2030-05-03T00:00:00Z", [9]),
  ];

  test("per program: every program has a lane, overlapping events take separate rows", () => {
    const lanes = layoutLanes(events, programs, "program", w, now);
    expect(lanes.map((l) => l.label)).toEqual(["Alerts", "Tariff"]);
    const tariff = lanes[1];
    expect(tariff.rows).toBe(2);
    const e1 = tariff.events.find((r) => r.event.id === "e1");
    expect(e1?.blocks.map((b) => [new Date(b.start).toISOString(), b.label])).toEqual([
      ["2030-05-01T10:00:00.000Z", "PRICE 0.2 EUR/KWH"],
      ["2030-05-01T11:00:00.000Z", "PRICE 0.4 EUR/KWH"],
      ["2030-05-01T12:00:00.000Z", "PRICE 0.1 EUR/KWH"],
    ]);
    // shaded within the range of PRICE values in view (0.1 .. 0.4); e3 lies outside the window
    expect(e1?.blocks.map((b) => Number(b.level.toFixed(2)))).toEqual([0.33, 1, 0]);
    expect(tariff.events.find((r) => r.event.id === "e3")?.blocks).toEqual([]);
  });

  test("per target: one lane per target, untargeted events last", () => {
    const lanes = layoutLanes(events, programs, "target", w, now);
    expect(lanes.map((l) => [l.label, l.events.map((r) => r.event.id)])).toEqual([
      ["demo", ["e1"]],
      [UNTARGETED, ["e2", "e3"]],
    ]);
  });

  test("axis ticks fall on whole hours", () => {
    const t = ticks({ from: w.from + 10 * 60_000, to: w.to });
    expect(t.length).toBeGreaterThan(3);
    for (const x of t) expect(new Date(x).getMinutes()).toBe(0);
  });
});

describe("events without intervals", () => {
  const bare: Event = { ...event("e9", "p1", "2030-05-01T10:00:00Z", []), intervals: undefined };
  const later = new Date(now.getTime() + 5 * 60_000);

  test("are flagged in the list instead of shown active with a start that moves with now", () => {
    expect(eventListing(bare, now)).toEqual({ kind: "no-intervals" });
    expect(eventListing(bare, later)).toEqual({ kind: "no-intervals" });
    expect(eventListing({ ...bare, intervals: [] }, now)).toEqual({ kind: "no-intervals" });
    expect(NO_INTERVALS_HINT).toContain("no intervals");
  });

  test("are not drawn on the timeline; events with intervals still are, with their status", () => {
    const lanes = layoutLanes([bare], [program("p1", "Tariff")], "program", w, now);
    expect(lanes[0].events.map((r) => [r.event.id, r.blocks])).toEqual([["e9", []]]);
    const placed = eventListing(event("e1", "p1", "2030-05-01T07:00:00Z", [0.2, 0.4]), now);
    expect(placed).toMatchObject({ kind: "placed", status: "active" });
    if (placed.kind === "placed") expect(placed.start.toISOString()).toBe("2030-05-01T07:00:00.000Z");
  });
});
