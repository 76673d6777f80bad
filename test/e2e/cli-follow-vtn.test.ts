// The tools follow the VTN (issue 14): `gridlink ven` and `gridlink sim --provision DIR` read the
// VTN's URL from the vtn.json it wrote into its data dir at listen, so a VTN on any port is found;
// a refused connection says where the URL came from and suggests --vtn; the status lines show
// signals in force, net power and errors; both print a summary when stopped.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "packages/cli/src/main.ts");

function gridlink(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const waitFor = (pattern: RegExp, ms = 20_000) =>
    expect.poll(() => err, { message: `waiting for ${pattern}`, interval: 50, timeout: ms }).toMatch(pattern);
  return { child, exited, waitFor, stderr: () => err };
}

describe("tools follow the VTN through its data dir", () => {
  let t: TestVtn;
  let siteDir: string;
  let siteFile: string;
  beforeAll(async () => {
    t = await startTestVtn();
    // The sample site as a user has it: credentials from the VTN's data dir, no URL.
    const sample = parse(readFileSync(join(ROOT, "examples/site.yaml"), "utf8"));
    expect(sample.vtn.url).toBeUndefined();
    sample.vtn.credentialsFile = join(t.dataDir, "demo-credentials.json");
    siteDir = mkdtempSync(join(tmpdir(), "gridlink-follow-"));
    siteFile = join(siteDir, "site.yaml");
    writeFileSync(siteFile, stringify(sample));
  });
  afterAll(async () => {
    await t?.close();
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  it("gridlink ven finds the VTN on its port, its first status line has a step, and it sums up when stopped", async () => {
    const run = gridlink(["ven", "--config", siteFile, "--speed", "600", "--status-seconds", "1"]);
    try {
      await run.waitFor(new RegExp(`at ${t.url.replace(/[./]/g, "\\$&")}`));
      await run.waitFor(/home-1 {2}net -?\d+\.\d+ kW {2}signals \[/);
      // The first status line comes after the first step: a simulated time past the start.
      const first = /(\d{4}-\d\d-\d\d \d\d:\d\d)Z {2}home-1/.exec(run.stderr());
      expect(first).not.toBeNull();
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toMatch(/home-1: [1-9]\d* steps up to .* reports \d+ sent, \d+ failed.*; \d+ errors/);
  });

  it("a refused connection names where the URL came from and suggests --vtn", async () => {
    const dead = mkdtempSync(join(tmpdir(), "gridlink-dead-"));
    try {
      writeFileSync(
        join(dead, "vtn.json"),
        JSON.stringify({ url: `http://127.0.0.1:${await freePort()}/openadr3/3.1.0` }),
      );
      const run = gridlink(["ven", "--config", siteFile, "--data-dir", dead]);
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toMatch(
        /no VTN answers at http:\/\/127\.0\.0\.1:\d+\/openadr3\/3\.1\.0 \(connection refused/,
      );
      expect(run.stderr()).toContain("vtn.json");
      expect(run.stderr()).toContain("--vtn http://HOST:PORT/openadr3/3.1.0");
    } finally {
      rmSync(dead, { recursive: true, force: true });
    }
  });

  it("gridlink sim --provision DIR runs against the VTN of DIR, with signals, net power and errors, and a summary", async () => {
    const run = gridlink([
      "sim",
      "--sites",
      "2",
      "--provision",
      t.dataDir,
      "--speed",
      "600",
      "--status-seconds",
      "1",
      "--duration",
      "4",
    ]);
    expect(await run.exited).toBe(0);
    const err = run.stderr();
    expect(err).toContain(`2 sites against ${t.url}`);
    expect(err).toMatch(/Z {2}2 sites {2}net -?\d+\.\d kW {2}signals \[[^\]]*\] {2}reports \d+.* {2}errors \d+/);
    expect(err).toMatch(/2 sites ran \d+ s: [1-9]\d* steps, reports \d+ sent, \d+ failed.*; \d+ errors/);
  });
});
