// The 3.0.1 notification body the notifier renders for a 3.0.1 subscriber: HTTP-verb operations,
// 3.0.1 objects and valuesMap targets, valid against the 3.0.1 `notification` schema.
import { describe, expect, it } from "vitest";
import { notificationBody301, wants301 } from "../../src/notify/render301.ts";
import { expectValid301 } from "./support.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };

describe("3.0.1 notification bodies", () => {
  it.each([
    ["CREATE", "POST"],
    ["UPDATE", "PUT"],
    ["DELETE", "DELETE"],
  ])("a 3.1 %s of a targeted event is a 3.0.1 %s with valuesMap targets", (op31, op301) => {
    const event = {
      ...meta,
      id: "e1",
      objectType: "EVENT",
      programID: "p1",
      targets: ["GROUP:g", "demo"],
      duration: "P1D",
      intervals: [{ id: 0, intervalPeriod: { duration: "PT1H" }, payloads: [{ type: "PRICE", values: [0.2] }] }],
    };
    const b = JSON.parse(
      notificationBody301(
        JSON.stringify({ objectType: "EVENT", operation: op31, object: event, targets: event.targets }),
      ),
    );
    expectValid301("notification", b);
    expect(b.operation).toBe(op301);
    expect(b.targets).toEqual([
      { type: "GROUP", values: ["g"] },
      { type: "TARGET", values: ["demo"] },
    ]);
    expect(b.object.duration).toBeUndefined();
    expect(b.object.intervals[0].intervalPeriod.start).toBe("0001-01-01T00:00:00Z");
  });

  it("programs, reports, vens and resources are rendered in 3.0.1 terms", () => {
    const render = (objectType: string, object: object) =>
      JSON.parse(notificationBody301(JSON.stringify({ objectType, operation: "CREATE", object })));
    const p = render("PROGRAM", {
      ...meta,
      id: "p1",
      objectType: "PROGRAM",
      programName: "tariff",
      attributes: [{ type: "RETAILER_NAME", values: ["ACME"] }],
    });
    expectValid301("notification", p);
    expect(p.object.retailerName).toBe("ACME");
    const r = render("REPORT", {
      ...meta,
      id: "r1",
      objectType: "REPORT",
      programID: "p1",
      eventID: "e1",
      clientName: "c",
      clientID: "k",
      resources: [],
    });
    expectValid301("notification", r);
    const v = render("VEN", { ...meta, id: "v1", objectType: "VEN", venName: "v", clientID: "k", targets: ["t"] });
    expectValid301("notification", v);
    expect(v.object.targets).toEqual([{ type: "TARGET", values: ["t"] }]);
  });

  it("only subscriptions written over 3.0.1 ask for it", () => {
    expect(wants301({ notificationVersion: "3.0.1" })).toBe(true);
    expect(wants301({ clientName: "x" })).toBe(false);
  });
});
