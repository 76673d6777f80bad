// `gridlink ven` with `vtn.profile: "2.0b"`: the sample site as an OpenADR 2.0b VEN in its own
// process against a real VTN. An event created over 3.1 reaches it (its oadrCreatedEvent is what
// the BL reads at /events/{id}/opts) and its telemetry comes back as a 3.1 report.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "packages/cli/src/main.ts");

describe("gridlink ven over OpenADR 2.0b", () => {
  let t: TestVtn;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    t = await startTestVtn();
    dir = mkdtempSync(join(tmpdir(), "gridlink-cli-ven-2b-"));
    writeFileSync(join(dir, "demo-credentials.json"), JSON.stringify({ bl: t.bl, vens: t.vens }));
    const sample = parse(readFileSync(join(ROOT, "examples/site.yaml"), "utf8"));
    sample.vtn = {
      ...sample.vtn,
      profile: "2.0b",
      url: `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`,
      credentialsFile: join(dir, "demo-credentials.json"),
    };
    config = join(dir, "site.yaml");
    writeFileSync(config, stringify(sample));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("registers over 2.0b, answers a 3.1 event and reports usage the BL reads over GET /reports", async () => {
    const bl = await t.token(t.bl);
    const programID = (await t.call(bl, "POST", "/programs", { programName: "cli-2b" })).body.id;
    const event = await t.call(bl, "POST", "/events", {
      programID,
      eventName: "prices",
      intervalPeriod: { start: "0001-01-01", duration: "PT15M" },
      intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [0.3] }] }],
      reportDescriptors: [{ payloadType: "USAGE", readingType: "DIRECT_READ" }],
    });
    expect(event.status).toBe(201);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", MAIN, "ven", "--config", config, "--speed", "600", "--status-seconds", "1"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      await expect.poll(() => err, { timeout: 20_000, interval: 50 }).toMatch(/OpenADR 2\.0b poll/);
      expect(err).toContain(t.vens[0].venID);
      await expect.poll(() => err, { timeout: 20_000, interval: 50 }).toMatch(/home-1 {2}net -?\d+\.\d+ kW/);
      await expect
        .poll(async () => (await t.call(bl, "GET", `/events/${event.body.id}/opts`)).body, { timeout: 20_000 })
        .toEqual([expect.objectContaining({ venID: t.vens[0].venID, optType: "optIn" })]);
      await expect
        .poll(async () => (await t.call(bl, "GET", `/reports?eventID=${event.body.id}`)).body.length, {
          timeout: 20_000,
        })
        .toBe(1);
      const [report] = (await t.call(bl, "GET", `/reports?eventID=${event.body.id}`)).body;
      expect(report.resources.map((r: { resourceName: string }) => r.resourceName).sort()).toEqual([
        "battery",
        "ev-charger",
        "heat-pump",
        "house",
        "roof-pv",
      ]);
      expect(report.resources[0].intervals[0].payloads[0].type).toBe("USAGE");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(err).toMatch(/SIGTERM: stopping the site/);
    expect(err).not.toMatch(/ {2}! /);
  });
});
