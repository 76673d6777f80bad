import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { generate } from "../scripts/gen-enumerations.ts";

describe("the console's enumerations", () => {
  test("src/generated/enumerations.ts is what the spec's enumeration files generate today", () => {
    const committed = readFileSync(new URL("../src/generated/enumerations.ts", import.meta.url), "utf8");
    expect(committed).toBe(generate());
  });

  test("they carry the payload types, units and reading types of OpenADR 3.1.0", async () => {
    const e = await import("../src/generated/enumerations.ts");
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
