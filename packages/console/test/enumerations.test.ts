import * as e from "@gridlink/model";
import { describe, expect, test } from "vitest";

// The console's forms take payload types, units and reading types from @gridlink/model, which
// generates them from the spec (packages/model/test/enumerations.test.ts checks they are current).
describe("the console's enumerations", () => {
  test("they carry the payload types, units and reading types of OpenADR 3.1.0", () => {
    expect(e.EVENT_PAYLOAD_TYPES.find((t) => t.type === "SIMPLE")).toMatchObject({
      kind: "integer",
      minimum: 0,
      maximum: 3,
    });
    expect(e.EVENT_PAYLOAD_TYPES.map((t) => t.type)).toContain("PRICE");
    expect(e.REPORT_PAYLOAD_TYPES.find((t) => t.type === "DATA_QUALITY")?.enum).toEqual([
      "OK",
      "MISSING",
      "ESTIMATED",
      "BAD",
    ]);
    expect(e.UNITS).toContain("KWH");
    expect(e.READING_TYPES).toContain("DIRECT_READ");
  });
});
