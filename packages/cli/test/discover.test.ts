// `gridlink discover`, `gridlink ven --discover` and `gridlink vtn --mdns` find and advertise a VTN
// by mDNS (Definition.md §Discovery and Configuration of Local VTNs); `ven --discover` and `vtn`
// run as spawned processes, the rest in this one. The VTN's real responder and the CLI's real
// browser talk over multicast on the machine's default interface with loopback on, on a UDP port
// of this test's own instead of 5353 (docs/discovery.md says why).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { discoverVtns } from "@gridlink/ven";
import { type Advertisement, advertiseVtn } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverOne, mdnsChoice, runDiscover } from "../src/advertise.ts";
import { parseArgs } from "../src/args.ts";

const BIN = fileURLToPath(new URL("../bin/gridlink.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// A spawned CLI compiles itself first: many seconds on a loaded machine.
const SPAWNED = 120_000;
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

/** What `fn` writes to stdout while it runs. */
async function stdoutOf(fn: () => Promise<void>): Promise<string> {
  let text = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return text;
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

  it("gridlink discover --json lists the advertised VTN with its TXT record", async () => {
    const text = await stdoutOf(() =>
      runDiscover(parseArgs(["discover", "--json", "--timeout", "3", "--mdns-port", MDNS_PORT])),
    );
    const list = JSON.parse(text) as Array<{ name: string; port: number; version: string }>;
    expect(list).toContainEqual(
      expect.objectContaining({ name: "CLI_Test_VTN", port: Number(new URL(t.url).port), version: "3.1.0" }),
    );
  });

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
      try {
        await expect
          .poll(r.out, { timeout: SPAWNED - 10_000, interval: 100 })
          .toMatch(/gridlink ven: site found-home as ven demo-ven-1/);
        expect(r.out()).toMatch(/discovered VTN "CLI_Test_VTN"/);
        const port = new URL(t.url).port;
        expect(r.out()).toMatch(new RegExp(`at http://[^ ]+:${port}/openadr3/3\\.1\\.0`));
      } finally {
        r.child.kill("SIGTERM");
        await r.exited;
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SPAWNED,
  );

  it("gridlink ven --discover says so when no VTN answers", async () => {
    const other = String(Number(MDNS_PORT) + 1);
    await expect(discoverOne(parseArgs(["ven", "--discover", "--timeout", "1", "--mdns-port", other]))).rejects.toThrow(
      /no VTN answered an mDNS query for _openadr3\._tcp within 1 s/,
    );
  });
});

describe("gridlink vtn advertises itself", () => {
  it(
    "on a network address with --mdns on, and says so in its banner",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "gridlink-mdns-vtn-"));
      const port = String(Number(MDNS_PORT) + 2);
      const r = run(
        ["vtn", "--host", "0.0.0.0", "--port", "0", "--data-dir", dataDir, "--mdns", "on", "--mdns-name", "Banner_VTN"],
        { GRIDLINK_MDNS_PORT: port, GRIDLINK_MQTT_PORT: "0" },
      );
      try {
        await expect
          .poll(r.out, { timeout: SPAWNED - 20_000, interval: 100 })
          .toMatch(/mDNS: +advertised as "Banner_VTN"/);
        const found = await discoverVtns({ mdnsPort: Number(port), first: true, timeoutMs: 10_000 });
        expect(found.map((v) => [v.name, v.version, v.basePath])).toEqual([["Banner_VTN", "3.1.0", "openadr3/3.1.0"]]);
      } finally {
        r.child.kill("SIGTERM");
        await r.exited;
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    SPAWNED,
  );

  it("refuses --mdns on when it listens on loopback only, and by default advertises only off loopback", () => {
    expect(() => mdnsChoice(parseArgs(["vtn", "--mdns", "on"]), "127.0.0.1")).toThrow(
      /--mdns on needs the VTN on a network address/,
    );
    expect(mdnsChoice(parseArgs(["vtn"]), "127.0.0.1")).toMatchObject({ advertise: false });
    expect(mdnsChoice(parseArgs(["vtn"]), "0.0.0.0")).toMatchObject({ advertise: true });
    expect(mdnsChoice(parseArgs(["vtn", "--mdns", "off"]), "0.0.0.0")).toMatchObject({
      advertise: false,
      why: "--mdns off",
    });
    expect(() => mdnsChoice(parseArgs(["vtn", "--mdns", "yes"]), "0.0.0.0")).toThrow(/--mdns must be auto, on or off/);
  });
});
