import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EVENT_PAYLOAD_TYPES } from "../generated/enumerations.ts";
import type { ValuesMap } from "../types.ts";
import type { ResolvedInterval } from "./intervals.ts";
import { subIntervals, UNITARY_EVENT_PAYLOAD_TYPES, valuesAt } from "./payloads.ts";

const interval = (start: string, end: string, payloads: ValuesMap[]): ResolvedInterval => ({
  id: 0,
  start: new Date(start),
  end: new Date(end),
  payloads,
  index: 0,
  cycle: 0,
});
const rows = (i: ResolvedInterval) =>
  subIntervals(i).map((s) => [s.type, s.start.toISOString().slice(11, 23), s.end.toISOString().slice(11, 23), s.value]);

describe("subIntervals: multi-valued payloads (User_Guide.md §7.3)", () => {
  it.each<[string, ValuesMap[], unknown[][]]>([
    [
      "Example 7.3-1: three prices over PT3H, one hour each",
      [{ type: "PRICE", values: [0.17, 0.03, 0.11] }],
      [
        ["PRICE", "00:00:00.000", "01:00:00.000", 0.17],
        ["PRICE", "01:00:00.000", "02:00:00.000", 0.03],
        ["PRICE", "02:00:00.000", "03:00:00.000", 0.11],
      ],
    ],
    [
      "a single value covers the interval",
      [{ type: "EXPORT_PRICE", values: [0.05] }],
      [["EXPORT_PRICE", "00:00:00.000", "03:00:00.000", 0.05]],
    ],
    [
      "each payload type is split on its own",
      [
        { type: "PRICE", values: [0.1, 0.2] },
        { type: "GHG", values: [300] },
      ],
      [
        ["PRICE", "00:00:00.000", "01:30:00.000", 0.1],
        ["PRICE", "01:30:00.000", "03:00:00.000", 0.2],
        ["GHG", "00:00:00.000", "03:00:00.000", 300],
      ],
    ],
    [
      "SIMPLE is a single level (maxItems 1), so it is split too",
      [{ type: "SIMPLE", values: [1, 3] }],
      [
        ["SIMPLE", "00:00:00.000", "01:30:00.000", 1],
        ["SIMPLE", "01:30:00.000", "03:00:00.000", 3],
      ],
    ],
    [
      "CURVE points form one curve, not a series",
      [
        {
          type: "CURVE",
          values: [
            { x: 1, y: 2 },
            { x: 3, y: 4 },
          ],
        },
      ],
      [
        [
          "CURVE",
          "00:00:00.000",
          "03:00:00.000",
          [
            { x: 1, y: 2 },
            { x: 3, y: 4 },
          ],
        ],
      ],
    ],
    [
      "OLS is one load shape",
      [{ type: "OLS", values: [0.2, 0.8] }],
      [["OLS", "00:00:00.000", "03:00:00.000", [0.2, 0.8]]],
    ],
    [
      "DISPATCH_INSTRUCTION is a list of instructions",
      [{ type: "DISPATCH_INSTRUCTION", values: ["a", "b"] }],
      [["DISPATCH_INSTRUCTION", "00:00:00.000", "03:00:00.000", ["a", "b"]]],
    ],
    [
      "a private type is not split",
      [{ type: "MY_SIGNAL", values: [1, 2] }],
      [["MY_SIGNAL", "00:00:00.000", "03:00:00.000", [1, 2]]],
    ],
    ["a unitary payload without values gives nothing", [{ type: "PRICE", values: [] }], []],
  ])("%s", (_, payloads, expected) => {
    expect(rows(interval("2025-06-25T00:00:00.000Z", "2025-06-25T03:00:00.000Z", payloads))).toEqual(expected);
  });

  it("uneven splits round to the ms and stay contiguous", () => {
    const subs = subIntervals(
      interval("2025-06-25T00:00:00Z", "2025-06-25T00:00:01Z", [{ type: "PRICE", values: [1, 2, 3] }]),
    );
    expect(subs.map((s) => [s.start.getTime() % 1000, s.end.getTime() % 1000])).toEqual([
      [0, 333],
      [333, 667],
      [667, 0],
    ]);
  });

  it("the unitary list is exactly the maxItems-1 types of event-interval-payloads.schema.yaml", () => {
    const file = new URL("../../spec/enumerations/event-interval-payloads.schema.yaml", import.meta.url);
    const defs = parse(readFileSync(file, "utf8")).definitions as Record<string, { maxItems?: number }>;
    const unitary = Object.keys(defs).filter((k) => defs[k].maxItems === 1);
    expect([...UNITARY_EVENT_PAYLOAD_TYPES].sort()).toEqual(unitary.sort());
  });

  it("the event payload types left unsplit are exactly DISPATCH_INSTRUCTION, CURVE and OLS", () => {
    const split = EVENT_PAYLOAD_TYPES.map((t) => t.type).filter((t) => !UNITARY_EVENT_PAYLOAD_TYPES.has(t));
    expect(split.sort()).toEqual(["CURVE", "DISPATCH_INSTRUCTION", "OLS"]);
  });
});

describe("valuesAt: the sub-interval value in force", () => {
  const i = interval("2025-06-25T00:00:00Z", "2025-06-25T03:00:00Z", [
    { type: "PRICE", values: [0.17, 0.03, 0.11] },
    { type: "CURVE", values: [{ x: 1, y: 2 }] },
    { type: "constructor", values: [1] },
  ]);
  it.each<[string, Record<string, unknown>]>([
    ["2025-06-25T00:00:00Z", { PRICE: 0.17, CURVE: [{ x: 1, y: 2 }], constructor: [1] }],
    ["2025-06-25T00:59:59.999Z", { PRICE: 0.17, CURVE: [{ x: 1, y: 2 }], constructor: [1] }],
    ["2025-06-25T01:00:00Z", { PRICE: 0.03, CURVE: [{ x: 1, y: 2 }], constructor: [1] }],
    ["2025-06-25T02:30:00Z", { PRICE: 0.11, CURVE: [{ x: 1, y: 2 }], constructor: [1] }],
    ["2025-06-25T03:00:00Z", {}],
    ["2025-06-24T23:59:59Z", {}],
  ])("at %s", (at, expected) => {
    expect({ ...valuesAt(i, new Date(at)) }).toEqual(expected);
  });

  it("the first payload of a type wins", () => {
    const dup = interval("2025-06-25T00:00:00Z", "2025-06-25T01:00:00Z", [
      { type: "PRICE", values: [1] },
      { type: "PRICE", values: [2] },
    ]);
    expect(valuesAt(dup, new Date("2025-06-25T00:30:00Z")).PRICE).toBe(1);
  });
});
