import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Relative imports (type-only ones too) of every module under src, by path relative to src. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), "utf8"), true, false);
    graph.set(
      file,
      importedFiles
        .map((i) => i.fileName)
        .filter((f) => f.startsWith("."))
        .map((f) => relative(SRC, resolve(SRC, dirname(file), f))),
    );
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the chain of modules that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const walk = (node: string): void => {
    const at = path.indexOf(node);
    if (at >= 0) {
      found.push([...path.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) walk(next);
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) walk(node);
  return found;
}

describe("the CEMS modules", () => {
  it("import one another without cycles (report-source.ts reads a ReportedSite, not site.ts)", () => {
    const graph = importGraph();
    expect(graph.get("site.ts")).toContain("report-source.ts");
    expect(cycles(graph)).toEqual([]);
  });
});
