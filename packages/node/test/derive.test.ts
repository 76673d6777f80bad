// An upstream event as the members' events: bounds split, the rest copied, timing kept, traced.
import type { Event } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import { deriveEvents, type MemberShare, sameEnough } from "../src/derive.ts";

const T = "2030-01-01T18:00:00.000Z";
const upstream: Event = {
  id: "up-1",
  objectType: "EVENT",
  createdDateTime: "2030-01-01T16:00:00Z",
  modificationDateTime: "2030-01-01T16:00:00Z",
  programID: "prog-up",
  eventName: "congestion",
  priority: 2,
  targets: ["aggregator"],
  intervalPeriod: { start: T, duration: "PT30M", randomizeStart: "PT5M" },
  payloadDescriptors: [{ objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "MW" }],
  intervals: [
    {
      id: 7,
      payloads: [
        { type: "IMPORT_CAPACITY_LIMIT", values: [0.012] },
        { type: "PRICE", values: [0.3] },
      ],
    },
    { id: 8, payloads: [{ type: "SIMPLE", values: [2] }] },
  ],
  reportDescriptors: [{ payloadType: "DEMAND", targets: ["upstream-only"], aggregate: true }],
};
const members: MemberShare[] = [
  { venName: "a", target: "a", flex: { min: 0, max: 9, preferred: 9 }, cost: 0, online: true },
  { venName: "b", target: "b", flex: { min: 0, max: 3, preferred: 3 }, cost: 0, online: true },
  { venName: "c", target: "c", flex: { min: 0, max: 6, preferred: 6 }, cost: 0, online: false },
];

const derive = (now = "2030-01-01T16:00:00Z") =>
  deriveEvents({
    upstream,
    upstreamUrl: "http://dso/openadr3/3.1.0",
    programID: "prog-down",
    members,
    policy: "proportional",
    now: new Date(now),
    receivedAt: new Date("2030-01-01T16:00:00Z"),
  });

describe("deriving the members' events from an upstream event", () => {
  it("splits an import limit in the event's units among the online members; an offline one is held at 0", () => {
    const out = derive();
    const limit = (m: string) => out.get(m)?.intervals[0].payloads[0].values[0];
    expect(limit("a")).toBeCloseTo(0.009, 6);
    expect(limit("b")).toBeCloseTo(0.003, 6);
    expect(limit("c")).toBe(0);
  });

  it("passes prices and levels on unchanged", () => {
    const a = derive().get("a");
    expect(a?.intervals[0].payloads[1]).toEqual({ type: "PRICE", values: [0.3] });
    expect(a?.intervals[1].payloads).toEqual([{ type: "SIMPLE", values: [2] }]);
  });

  it("keeps timing, randomizeStart, priority and interval ids; targets the member; traces the upstream", () => {
    const b = derive().get("b");
    expect(b?.intervalPeriod).toEqual(upstream.intervalPeriod);
    expect(b?.priority).toBe(2);
    expect(b?.intervals.map((i) => i.id)).toEqual([7, 8]);
    expect(b?.targets).toEqual(["b"]);
    expect(b?.reportDescriptors).toEqual([{ payloadType: "DEMAND", aggregate: true }]);
    expect(b?.gridlinkUpstream).toEqual({
      vtn: "http://dso/openadr3/3.1.0",
      programID: "prog-up",
      eventID: "up-1",
      modificationDateTime: upstream.modificationDateTime,
      member: "b",
    });
  });

  it("leaves the values of intervals already over as they were sent", () => {
    const first = derive();
    const existing = new Map(
      [...first].map(([k, v]) => [
        k,
        {
          ...v,
          id: k,
          objectType: "EVENT" as const,
          createdDateTime: "",
          modificationDateTime: "",
          intervals: v.intervals.map((iv) => ({ ...iv, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [1] }] })),
        },
      ]),
    );
    const later = deriveEvents({
      upstream,
      upstreamUrl: "http://dso/openadr3/3.1.0",
      programID: "prog-down",
      members,
      policy: "proportional",
      now: new Date("2030-01-01T18:45:00Z"),
      receivedAt: new Date("2030-01-01T16:00:00Z"),
      existing,
    });
    // Interval 7 (18:00–18:30, give or take the randomized start) is over; interval 8 is not.
    expect(later.get("a")?.intervals[0].payloads).toEqual([{ type: "IMPORT_CAPACITY_LIMIT", values: [1] }]);
    expect(later.get("a")?.intervals[1].payloads).toEqual([{ type: "SIMPLE", values: [2] }]);
  });

  it("treats small drifts of a split value as the same event, a new upstream version never", () => {
    const want = derive().get("a");
    if (!want) throw new Error("no event for a");
    const have = { ...want, id: "x", objectType: "EVENT" as const, createdDateTime: "", modificationDateTime: "" };
    const drift = structuredClone(want);
    (drift.intervals[0].payloads[0].values as number[])[0] = 0.00902;
    expect(sameEnough(have, drift)).toBe(true);
    expect(sameEnough(have, drift, 0, 1e-9)).toBe(false);
    expect(
      sameEnough(have, { ...want, gridlinkUpstream: { ...want.gridlinkUpstream, modificationDateTime: "later" } }),
    ).toBe(false);
  });
});
