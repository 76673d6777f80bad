import { describe, expect, test } from "vitest";
import { type EventOpt, optedOutVens, optRows } from "../src/logic/opt-rows.ts";

const opt = (optID: string, venID: string, optType: string, at: string, extra: Partial<EventOpt> = {}): EventOpt => ({
  optID,
  venID,
  eventID: "e1",
  optType,
  createdDateTime: at,
  ...extra,
});

describe("optRows", () => {
  test("newest first; the latest answer per VEN and resources is in force; vens named", () => {
    const rows = optRows(
      [
        opt("o1", "v1", "optIn", "2030-01-01T10:00:00Z"),
        opt("o2", "v1", "optOut", "2030-01-01T11:00:00Z", { optReason: "emergency" }),
        opt("o3", "v2", "optOut", "2030-01-01T09:00:00Z", { resourceIDs: ["heatpump", "ev"] }),
        opt("o4", "v2", "optIn", "2030-01-01T08:00:00Z"),
      ],
      [{ id: "v1", venName: "site-a" }],
    );
    expect(rows.map((r) => [r.optID, r.venName, r.optType, r.scope, r.inForce])).toEqual([
      ["o2", "site-a", "optOut", "whole VEN", true],
      ["o1", "site-a", "optIn", "whole VEN", false],
      ["o3", "v2", "optOut", "heatpump, ev", true],
      ["o4", "v2", "optIn", "whole VEN", true],
    ]);
    expect(rows[0].reason).toBe("emergency");
    expect(optedOutVens(rows)).toBe(2);
  });

  test("an opt-out answered later with an opt-in counts no more", () => {
    const rows = optRows(
      [opt("o1", "v1", "optOut", "2030-01-01T10:00:00Z"), opt("o2", "v1", "optIn", "2030-01-01T12:00:00Z")],
      [],
    );
    expect(optedOutVens(rows)).toBe(0);
    expect(optRows([], [])).toEqual([]);
  });
});
