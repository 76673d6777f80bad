import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Every module specifier named by the console's sources and tests, with the file naming it. */
function specifiers(): { file: string; specifier: string }[] {
  const out: { file: string; specifier: string }[] = [];
  for (const dir of ["src", "test"]) {
    for (const f of readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
      if (!/\.tsx?$/.test(f)) continue;
      const file = join(dir, f);
      const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, false);
      for (const i of importedFiles) out.push({ file, specifier: i.fileName });
    }
  }
  return out;
}

// The console is a package of its own: it reaches the model through @gridlink/model's exports,
// which keep node: and the spec loader (@gridlink/model/schema) out of the browser bundle.
describe("the console's imports of the model", () => {
  const all = specifiers();

  it("name @gridlink/model, never a path into packages/model", () => {
    expect(all.filter((i) => i.specifier.includes("model/src") || i.specifier.includes("../model"))).toEqual([]);
    expect(all.some((i) => i.specifier === "@gridlink/model")).toBe(true);
  });

  it("leave out @gridlink/model/schema and node: in the browser sources", () => {
    const browser = all.filter((i) => i.file.startsWith("src"));
    expect(browser.filter((i) => i.specifier.startsWith("node:") || i.specifier.endsWith("/schema"))).toEqual([]);
  });
});
