import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { generate } from "../scripts/gen-enumerations.ts";

describe("the model's generated enumerations", () => {
  test("src/generated/enumerations.ts is what the spec's enumeration files generate today", () => {
    const committed = readFileSync(new URL("../src/generated/enumerations.ts", import.meta.url), "utf8");
    expect(committed).toBe(generate());
  });
});
