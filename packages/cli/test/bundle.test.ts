// The bundles bin/gridlink.js runs (build.mjs) and when they count as built from this tree
// (bundle.mjs): a bundle holds absolute paths and each module's own location, so a changed source,
// a moved tree or another Node must build again.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript modules without declarations
import { buildBundles } from "../build.mjs";
// @ts-expect-error: plain JavaScript modules without declarations
import { freshBundle, META } from "../bundle.mjs";

const dist = `${mkdtempSync(join(tmpdir(), "gridlink-bundle-"))}/`;
let seconds = 0;

beforeAll(async () => {
  seconds = await buildBundles({ dist });
}, 60_000);
afterAll(() => rmSync(dist, { recursive: true, force: true }));

interface Meta {
  root: string;
  node: string;
  outputs: string[];
  inputs: Array<[string, number, number]>;
}
const meta = (): Meta => JSON.parse(readFileSync(`${dist}${META}`, "utf8"));
const rewrite = (change: (m: Meta) => void) => {
  const m = meta();
  change(m);
  writeFileSync(`${dist}${META}`, JSON.stringify(m));
};

describe("the built bundles", () => {
  it("are built from the CLI and the notifier's worker, listing every workspace source they hold", () => {
    expect(seconds).toBeGreaterThan(0);
    const m = meta();
    expect(m.outputs).toEqual(["notify-worker.mjs", "main.mjs"]);
    const files = m.inputs.map(([f]) => f);
    expect(files).toEqual(
      expect.arrayContaining([
        "package-lock.json",
        "packages/cli/src/main.ts",
        "packages/vtn/src/server.ts",
        "packages/vtn/src/notify/worker.ts",
        "packages/model/src/index.ts",
      ]),
    );
    expect(files.some((f) => f.includes("node_modules"))).toBe(false);
    // Third-party packages are imports of their installed files, not copies.
    const main = readFileSync(`${dist}main.mjs`, "utf8");
    expect(main).toMatch(/from "\/[^"]*\/node_modules\/fastify\/fastify\.js"/);
    // Each module kept its own location: the OpenAPI document is found where it lies.
    expect(main).toContain(JSON.stringify(new URL("../../model/src/schema.ts", import.meta.url).href));
  });

  it("run: the CLI bundle answers as the CLI does", () => {
    const out = execFileSync(process.execPath, [fileURLToPath(`file://${dist}main.mjs`), "clients", "--help"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
    expect(out).toContain("gridlink clients add");
  });

  it("count as fresh while every input is as it was, and not after a change", () => {
    expect(freshBundle("main.mjs", dist)).toBe(new URL(`file://${dist}main.mjs`).href);
    expect(freshBundle("notify-worker.mjs", dist)).toMatch(/notify-worker\.mjs$/);
    expect(freshBundle("other.mjs", dist)).toBeUndefined();

    const original = readFileSync(`${dist}${META}`, "utf8");
    try {
      rewrite((m) => {
        const server = m.inputs.find(([f]) => f === "packages/vtn/src/server.ts");
        if (server) server[1] += 1; // the source grew since the build
      });
      expect(freshBundle("main.mjs", dist)).toBeUndefined();
      writeFileSync(`${dist}${META}`, original);
      rewrite((m) => {
        m.inputs[0][2] -= 1000; // touched since
      });
      expect(freshBundle("main.mjs", dist)).toBeUndefined();
      writeFileSync(`${dist}${META}`, original);
      rewrite((m) => {
        m.root = "/elsewhere/";
      });
      expect(freshBundle("main.mjs", dist)).toBeUndefined();
      writeFileSync(`${dist}${META}`, original);
      rewrite((m) => {
        m.node = "18";
      });
      expect(freshBundle("main.mjs", dist)).toBeUndefined();
      writeFileSync(`${dist}${META}`, original);
      rewrite((m) => {
        m.inputs.push(["packages/vtn/src/gone.ts", 1, 1]);
      });
      expect(freshBundle("main.mjs", dist)).toBeUndefined();
    } finally {
      writeFileSync(`${dist}${META}`, original);
    }
    expect(freshBundle("main.mjs", dist)).toBeDefined();
  });
});
