// `gridlink ven` as a user runs it: the sample config's site against a real VTN, in its own process.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BlClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
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

describe("gridlink ven", () => {
  let t: TestVtn;
  let dir: string;
  beforeAll(async () => {
    t = await startTestVtn();
    dir = mkdtempSync(join(tmpdir(), "gridlink-cli-ven-"));
    // The VTN's demo credentials file, as `npm start` writes it, and the sample config pointed at it.
    writeFileSync(join(dir, "demo-credentials.json"), JSON.stringify({ bl: t.bl, vens: t.vens }));
    const sample = parse(readFileSync(join(ROOT, "examples/site.yaml"), "utf8"));
    sample.vtn = { ...sample.vtn, url: t.url, credentialsFile: join(dir, "demo-credentials.json") };
    writeFileSync(join(dir, "site.yaml"), stringify(sample));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the sample site against the VTN with the demo VEN credentials, sped up", async () => {
    const run = gridlink(["ven", "--config", join(dir, "site.yaml"), "--speed", "600", "--status-seconds", "1"]);
    try {
      await run.waitFor(/notifications by mqtt/);
      await run.waitFor(/home-1 {2}net -?\d+\.\d+ kW/);
      const bl = new BlClient({ baseUrl: t.url, ...t.bl });
      const names = (await bl.resources.all({ venID: t.vens[0].venID })).map((r) => r.resourceName).sort();
      expect(names).toEqual(["battery", "ev-charger", "heat-pump", "house", "roof-pv"]);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toMatch(/SIGTERM: stopping the site/);
  });

  it("runs the site against the VTN's OpenADR 3.0.1 API when the URL names 3.0.1", async () => {
    const url301 = t.url.replace(/3\.1\.0$/, "3.0.1");
    const run = gridlink([
      "ven",
      "--config",
      join(dir, "site.yaml"),
      "--vtn",
      url301,
      "--speed",
      "600",
      "--status-seconds",
      "1",
    ]);
    try {
      await run.waitFor(/home-1 {2}net -?\d+\.\d+ kW/);
      expect(run.stderr()).toContain(url301);
      // 3.0.1 has no MQTT notifier: the site takes its signals another way.
      expect(run.stderr()).not.toMatch(/notifications by mqtt/);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
  });

  it("names what is missing", async () => {
    const run = gridlink(["ven"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/ven needs --config/);
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      stringify({
        vtn: { url: t.url, clientId: "x", clientSecret: "y" },
        site: { name: "s", resources: [{ type: "pv", name: "p" }] },
      }),
    );
    const run2 = gridlink(["ven", "--config", bad]);
    expect(await run2.exited).toBe(1);
    expect(run2.stderr()).toMatch(/site.resources\[0\].peakKw must be a number/);
  });
});
