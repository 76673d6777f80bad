// `gridlink discover` and `gridlink ven --discover` find a VTN by mDNS (Definition.md §Discovery
// and Configuration of Local VTNs). The VTN's real responder and the CLI's real browser talk over
// multicast on the machine's default interface with loopback on, on a UDP port of this test's own
// instead of 5353 (docs/discovery.md says why).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Advertisement, advertiseVtn } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/gridlink.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// Each run starts a node process that compiles the CLI: seconds on a loaded machine.
const SLOW = 60_000;
const MDNS_PORT = String(20_000 + Math.floor(Math.random() * 20_000));

function run(args: string[], env: Record<string, string> = {}) {
  let out = "";
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, GRIDLINK_MDNS_PORT: MDNS_PORT, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (b) => (out += b));
  child.stderr?.on("data", (b) => (out += b));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return { child, out: () => out, exited };
}

describe("gridlink finds a VTN by mDNS", () => {
  let t: TestVtn;
  let ad: Advertisement;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await startTestVtn({ host: "0.0.0.0" });
    ad = await advertiseVtn({
      core: t.vtn.core,
      port: Number(new URL(t.url).port),
      scheme: "http",
      name: "CLI_Test_VTN",
      mdnsPort: Number(MDNS_PORT),
    });
  }, 90_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await ad?.close();
    await t?.close();
  });

  it(
    "gridlink discover --json lists the advertised VTN with its TXT record",
    async () => {
      const r = run(["discover", "--json", "--timeout", "3"]);
      children.push(r.child);
      expect(await r.exited).toBe(0);
      const list = JSON.parse(r.out().slice(r.out().indexOf("["))) as Array<{
        name: string;
        port: number;
        version: string;
      }>;
      expect(list).toContainEqual(
        expect.objectContaining({ name: "CLI_Test_VTN", port: Number(new URL(t.url).port), version: "3.1.0" }),
      );
    },
    SLOW,
  );

  it(
    "gridlink ven --discover runs a site against the VTN it found",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "gridlink-discover-"));
      const site = join(dir, "site.yaml");
      writeFileSync(
        site,
        [
          "venName: demo-ven-1",
          "intake: { mode: poll, pollSeconds: 5 }",
          "simulation: { start: now, speed: 1, stepSeconds: 60, seed: d }",
          "site: { name: found-home, resources: [{ type: load, name: house, averageKw: 1 }] }",
          "",
        ].join("\n"),
      );
      const r = run(["ven", "--config", site, "--discover", "--timeout", "5"], {
        GRIDLINK_VEN_CLIENT_ID: t.vens[0].clientId,
        GRIDLINK_VEN_CLIENT_SECRET: t.vens[0].clientSecret,
      });
      children.push(r.child);
      await expect
        .poll(r.out, { timeout: 50_000, interval: 100 })
        .toMatch(/gridlink ven: site found-home as ven demo-ven-1/);
      expect(r.out()).toMatch(/discovered VTN "CLI_Test_VTN"/);
      const port = new URL(t.url).port;
      expect(r.out()).toMatch(new RegExp(`at http://[^ ]+:${port}/openadr3/3\\.1\\.0`));
      r.child.kill("SIGTERM");
      await r.exited;
    },
    SLOW,
  );

  it(
    "gridlink ven --discover says so when no VTN answers",
    async () => {
      const r = run(["ven", "--config", "examples/site.yaml", "--discover", "--timeout", "1"], {
        GRIDLINK_MDNS_PORT: String(Number(MDNS_PORT) + 1),
        GRIDLINK_VEN_CLIENT_ID: "x",
        GRIDLINK_VEN_CLIENT_SECRET: "y",
      });
      children.push(r.child);
      expect(await r.exited).toBe(1);
      expect(r.out()).toMatch(/no VTN answered an mDNS query for _openadr3\._tcp within 1 s/);
    },
    SLOW,
  );
});
