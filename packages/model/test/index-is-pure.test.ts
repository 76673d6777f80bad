import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Every module specifier reachable from `entry` through relative imports, with the file naming it. */
function importGraph(entry: string): { from: string; specifier: string }[] {
  const seen = new Set<string>();
  const found: { from: string; specifier: string }[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
    for (const { fileName } of importedFiles) {
      found.push({ from: relative(SRC, file), specifier: fileName });
      if (fileName.startsWith(".")) visit(resolve(dirname(file), fileName));
    }
  };
  visit(entry);
  return found;
}

// DESIGN.md §Layers: model is "canonical types + pure functions; no I/O". The console bundles
// @gridlink/model for the browser, so its index must not reach node: or the spec-loading module.
describe("@gridlink/model's index", () => {
  const graph = importGraph(resolve(SRC, "index.ts"));

  it("imports nothing from node: and no package, only its own modules", () => {
    expect(graph.filter((i) => !i.specifier.startsWith("."))).toEqual([]);
  });

  it("does not reach schema.ts, which reads the spec YAML from disk (@gridlink/model/schema)", () => {
    expect(graph.filter((i) => i.specifier.endsWith("schema.ts"))).toEqual([]);
  });

  it("exports the pure functions and not the schema loaders", async () => {
    const model = await import("../src/index.ts");
    expect(Object.keys(model)).not.toContain("openadr3Spec");
    expect(Object.keys(model)).toContain("resolveIntervals");
  });
});
