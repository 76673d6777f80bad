// `gridlink vtn` starts as an operator reads it: the banner (where the VTN is, its console, the
// real data dir) first and the start's log lines after it; no log line per request at the default
// level (one per request at debug); warnings and errors stay.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/gridlink.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of running.splice(0))
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((done) => c.once("exit", done));
      c.kill("SIGKILL");
      await exited;
    }
  // Once no VTN writes into them any more.
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the VTN with stdout and stderr into one file, in the order they were written. */
async function start(logLevel?: string) {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-banner-"));
  dirs.push(dir);
  const dataDir = join(dir, "vtn-home");
  const file = join(dir, "out.txt");
  const fd = openSync(file, "w");
  const child = spawn(process.execPath, [BIN, "vtn", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir], {
    cwd: ROOT,
    env: { ...process.env, GRIDLINK_MQTT_PORT: "0", ...(logLevel ? { GRIDLINK_LOG_LEVEL: logLevel } : {}) },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  running.push(child);
  const out = () => readFileSync(file, "utf8");
  await expect.poll(out, { timeout: 20_000, interval: 50 }).toMatch(/Try it:|Clients:/);
  const url = /gridlink VTN \(OpenADR 3\.1\.0\) at (\S+)/.exec(out())?.[1] as string;
  return { child, out, url, dataDir };
}

describe("gridlink vtn's start", () => {
  it("prints the banner before any log line, naming the data dir it really uses", async () => {
    const v = await start();
    const text = v.out();
    const banner = text.indexOf("gridlink VTN (OpenADR 3.1.0)");
    const firstLog = text.search(/^\{"level"/m);
    expect(banner).toBeGreaterThanOrEqual(0);
    expect(firstLog).toBeGreaterThan(banner);
    expect(text).toContain(`data: ${v.dataDir}`);
    expect(text).toContain(`also in ${join(v.dataDir, "demo-credentials.json")}`);
    expect(text).not.toContain("data/demo-credentials.json");
  });

  it("logs no line per request at the default level, one at debug", async () => {
    const quiet = await start();
    for (let i = 0; i < 3; i++) expect((await fetch(`${quiet.url}/programs`)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(quiet.out()).not.toMatch(/"msg":"(incoming request|request completed|request)"/);

    const chatty = await start("debug");
    expect((await fetch(`${chatty.url}/programs`)).status).toBe(401);
    const lines = () =>
      chatty
        .out()
        .split("\n")
        .filter((l) => /"msg":"request"/.test(l) && l.includes("/programs"));
    await expect.poll(lines, { timeout: 5000 }).toHaveLength(1);
    expect(JSON.parse(lines()[0])).toMatchObject({
      level: 20,
      method: "GET",
      url: "/openadr3/3.1.0/programs",
      status: 401,
    });
  });
});
