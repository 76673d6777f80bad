// The 3.0.1 <-> 3.1 translations as tables of cases, and the laws they keep: a 3.0.1 body taken to
// 3.1 and back is the same body (up to grouping of target values), and so is a plain 3.1 target.
import type { Event, Program } from "@gridlink/model";
import {
  eventFrom31,
  eventTo31,
  programFrom31,
  programTo31,
  subscriptionFrom31,
  subscriptionTo31,
  TargetValueError,
  targetQueryTo31,
  targetsFrom31,
  targetsTo31,
  withoutNulls,
} from "@gridlink/model/oadr301";
import { validate } from "@gridlink/model/schema";
import { describe, expect, it } from "vitest";
import { scopesAs301 } from "../../src/bindings/oadr301/auth.ts";

const meta = { id: "x1", createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };

describe("targets", () => {
  it.each([
    [[{ type: "GROUP", values: ["g1", "g2"] }], ["GROUP:g1", "GROUP:g2"]],
    [[{ type: "TARGET", values: ["group-1"] }], ["group-1"]],
    [
      [
        { type: "VEN_NAME", values: ["v"] },
        { type: "TARGET", values: ["plain"] },
      ],
      ["VEN_NAME:v", "plain"],
    ],
    [[{ type: "GROUP", values: [] }], []],
  ])("3.0.1 %j is 3.1 %j, and back", (v301, v31) => {
    expect(targetsTo31(v301, "body.targets")).toEqual(v31);
    expect(targetsFrom31(v31)).toEqual(v301.filter((t) => t.values.length > 0));
  });

  it("plain 3.1 targets become TARGET values; lower-case or empty prefixes are not types", () => {
    expect(targetsFrom31(["group-1", "urn:x:y", ":a", "GROUP:"])).toEqual([
      { type: "TARGET", values: ["group-1", "urn:x:y", ":a", "GROUP:"] },
    ]);
  });

  it("values of one type are grouped again (order of first appearance), numbers become strings", () => {
    const v301 = [
      { type: "GROUP", values: ["a"] },
      { type: "ZONE", values: [7] },
      { type: "GROUP", values: ["b", "a"] },
    ];
    expect(targetsTo31(v301, "body.targets")).toEqual(["GROUP:a", "ZONE:7", "GROUP:b"]);
    expect(targetsFrom31(targetsTo31(v301, "t"))).toEqual([
      { type: "GROUP", values: ["a", "b"] },
      { type: "ZONE", values: ["7"] },
    ]);
  });

  it("a point is no target value", () => {
    let err: unknown;
    try {
      targetsTo31([{ type: "GROUP", values: [{ x: 1, y: 2 }] }], "body.targets");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TargetValueError);
    expect((err as TargetValueError).path).toBe("body.targets.0.values.0");
  });

  it("the list filter targetType + targetValues is a 3.1 targets filter", () => {
    expect(targetQueryTo31("GROUP", ["a", "b"])).toEqual(["GROUP:a", "GROUP:b"]);
    expect(targetQueryTo31(undefined, ["a"])).toEqual(["a"]);
    expect(targetQueryTo31("GROUP", undefined)).toBeUndefined();
  });
});

describe("programs", () => {
  const v301 = {
    programName: "p",
    programLongName: "Long",
    retailerName: "R",
    retailerLongName: "R Inc.",
    programType: "PRICING_TARIFF",
    country: "US",
    principalSubdivision: "CO",
    timeZoneOffset: "-PT7H",
    bindingEvents: true,
    localPrice: false,
    targets: [{ type: "GROUP", values: ["g"] }],
  };

  it("the 3.0.1 fields are 3.1 attributes, valid as a 3.1 programRequest, and come back", () => {
    const v31 = programTo31(v301);
    expect(validate("programRequest", v31)).toEqual([]);
    expect(v31.attributes).toContainEqual({ type: "PROGRAM_LONG_NAME", values: ["Long"] });
    expect(v31.attributes).toContainEqual({ type: "LOCAL", values: [false] });
    expect(v31.attributes).toContainEqual({ type: "TIME_ZONE_OFFSET", values: ["-PT7H"] });
    const back = programFrom31({ ...meta, objectType: "PROGRAM", ...(v31 as { programName: string }) });
    expect(back).toEqual({ ...meta, objectType: "PROGRAM", ...v301 });
  });

  it("a 3.0.1 update keeps the attributes 3.0.1 cannot show", () => {
    const stored = {
      ...meta,
      objectType: "PROGRAM",
      programName: "p",
      attributes: [
        { type: "PROGRAM_LONG_NAME", values: ["old"] },
        { type: "X_PRIVATE", values: [1] },
      ],
    } as Program;
    expect(programTo31({ programName: "p", retailerName: "R" }, stored).attributes).toEqual([
      { type: "X_PRIVATE", values: [1] },
      { type: "RETAILER_NAME", values: ["R"] },
    ]);
  });
});

describe("events", () => {
  it("3.1 events without intervals or starts are valid 3.0.1 events; duration is kept on 3.0.1 updates", () => {
    const stored = {
      ...meta,
      objectType: "EVENT",
      programID: "p",
      duration: "P9999Y",
      intervalPeriod: { duration: "PT1H" },
      reportDescriptors: [{ payloadType: "USAGE", targets: ["GROUP:g"], reportIntervals: "INTERVALS" }],
    } as unknown as Event;
    const shown = eventFrom31(stored);
    expect(shown).toMatchObject({
      intervals: [],
      intervalPeriod: { start: "0001-01-01T00:00:00Z", duration: "PT1H" },
      reportDescriptors: [{ payloadType: "USAGE", targets: [{ type: "GROUP", values: ["g"] }] }],
    });
    expect(shown.duration).toBeUndefined();
    expect((shown.reportDescriptors as object[])[0]).not.toHaveProperty("reportIntervals");
    const again = eventTo31({ programID: "p", intervals: [] }, stored);
    expect(again.duration).toBe("P9999Y");
  });
});

describe("subscriptions and scopes", () => {
  it("a 3.0.1 subscription is marked for 3.0.1 notifications; the mark is not shown over 3.0.1", () => {
    const v31 = subscriptionTo31({ clientName: "c", programID: "p", objectOperations: [] });
    expect(v31.notificationVersion).toBe("3.0.1");
    const back = subscriptionFrom31({
      ...meta,
      objectType: "SUBSCRIPTION",
      clientID: "k",
      ...(v31 as object),
    } as never);
    expect(back).not.toHaveProperty("notificationVersion");
  });

  it("3.1 read scopes are read_all to a 3.0.1 client", () => {
    expect(scopesAs301("read_targets read_ven_objects write_reports")).toBe("read_all write_reports");
    expect(scopesAs301("read_all write_programs")).toBe("read_all write_programs");
  });

  it("null is absent, at any depth", () => {
    expect(withoutNulls({ a: null, b: [{ c: null, d: 1 }], e: { f: null } })).toEqual({ b: [{ d: 1 }], e: {} });
  });
});
