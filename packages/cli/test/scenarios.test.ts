// The four scenarios of `gridlink scenario` (docs/scenarios.md) as end-to-end tests: each runs
// against a real embedded VTN with its simulated sites on a clock that moves as fast as they go,
// and asserts on the outcome the run measured; then the command itself, with its JSON.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../src/args.ts";
import { embeddedVtn, runScenario, runScenarioCommand, SCENARIOS } from "../src/scenario.ts";

// A scenario runs in a few seconds; the machine the tests share may be many times slower.
const SLOW = 60_000;

describe("gridlink scenario, against an embedded VTN", () => {
  let vtn: Awaited<ReturnType<typeof embeddedVtn>>;
  beforeAll(async () => {
    vtn = await embeddedVtn(4);
  }, 90_000);
  afterAll(() => vtn?.close());

  it(
    "congestion: the feeder's import stays under the DSO's limit during the event",
    async () => {
      const r = await runScenario(SCENARIOS.congestion, vtn);
      expect(r.errors).toEqual([]);
      expect(r.outcome.feederPeakDuringEventKw).toBeLessThanOrEqual(r.outcome.feederLimitKw as number);
      expect(r.outcome.baselinePeakDuringEventKw).toBeGreaterThan(r.outcome.feederLimitKw as number);
      expect(r.outcome.reportsReceived).toBeGreaterThan(0);
      expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    },
    SLOW,
  );

  it(
    "tou: the homes pay less and draw less in the expensive hours than if they ignored the price",
    async () => {
      const r = await runScenario(SCENARIOS.tou, vtn);
      expect(r.errors).toEqual([]);
      expect(r.outcome.costEur).toBeLessThan(r.outcome.baselineCostEur as number);
      expect(r.outcome.peakHoursImportKwh).toBeLessThan(r.outcome.baselinePeakHoursImportKwh as number);
      expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    },
    SLOW,
  );

  it(
    "emergency: the homes keep the limit, the 2.0b bakery opts out and the operator sees it",
    async () => {
      const r = await runScenario(SCENARIOS.emergency, vtn);
      expect(r.errors).toEqual([]);
      expect(r.outcome.highestHomeDuringEventKw).toBeLessThanOrEqual(r.outcome.limitPerSiteKw as number);
      expect(r.outcome.optedOut).toHaveLength(1);
      expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    },
    SLOW,
  );

  it(
    "market: the aggregate follows the dispatched setpoint",
    async () => {
      const r = await runScenario(SCENARIOS.market, vtn);
      expect(r.errors).toEqual([]);
      expect(r.outcome.largestDeviationKw).toBeLessThanOrEqual(0.5);
      expect(r.outcome.flexibilityDeliveredKwh).toBeGreaterThan(5);
      expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    },
    SLOW,
  );
});

describe("the gridlink scenario command", () => {
  // In this process (a spawned CLI spends most of its time compiling on a loaded machine); the
  // command starts its own embedded VTN in a temporary data dir.
  it("prints what happened and writes the run as JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gridlink-scenario-out-"));
    const out = join(dir, "market.json");
    try {
      let text = "";
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => {
        text += chunk;
        return true;
      }) as typeof process.stderr.write;
      try {
        await runScenarioCommand(parseArgs(["scenario", "market", "--out", out]));
      } finally {
        process.stderr.write = write;
      }
      expect(text).toMatch(/gridlink scenario market: Market dispatch/);
      expect(text).toMatch(/embedded, temporary data dir/);
      expect(text).toMatch(/ok {3}the aggregate follows the setpoint/);
      expect(process.exitCode ?? 0).toBe(0);
      const json = JSON.parse(readFileSync(out, "utf8"));
      expect(json).toMatchObject({ scenario: "market", simulated: { stepMinutes: 5 } });
      expect(json.steps.length).toBe(48);
      // The chart the console draws: a value per step for each line, the setpoint where it is in force.
      expect(json.series.t).toEqual(json.steps.map((r: { t: string }) => r.t));
      expect(json.series.power.map((p: { name: string; kw: number[] }) => [p.name, p.kw.length])).toEqual([
        ["aggregate", 48],
        ["without the dispatch", 48],
      ]);
      expect(json.series.bounds[0].kw.filter((v: number | null) => v === -6)).toHaveLength(12);
      expect(json.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it("runs against a VTN given by --vtn and --credentials (the demo file's shape)", async () => {
    const t = await startTestVtn();
    const dir = mkdtempSync(join(tmpdir(), "gridlink-scenario-given-"));
    try {
      const creds = join(dir, "demo-credentials.json");
      writeFileSync(creds, JSON.stringify({ bl: t.bl, vens: t.vens }));
      const out = join(dir, "market.json");
      await runScenarioCommand(parseArgs(["scenario", "market", "--vtn", t.url, "--credentials", creds, "--out", out]));
      const json = JSON.parse(readFileSync(out, "utf8"));
      expect(json.vtn).toBe(t.url);
      expect(json.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
      // The BL enrolled the demo VEN into the aggregator's portfolio.
      const bl = await t.token(t.bl);
      expect((await t.call(bl, "GET", `/vens/${t.vens[0].venID}`)).body.targets).toContain("portfolio-a");
      await expect(
        runScenarioCommand(parseArgs(["scenario", "congestion", "--vtn", t.url, "--credentials", creds])),
      ).rejects.toThrow(/holds 2 VEN client\(s\); this scenario needs 4/);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it("names the scenarios when given an unknown one", async () => {
    await expect(runScenarioCommand(parseArgs(["scenario", "blackout"]))).rejects.toThrow(
      /scenario needs one of: congestion, tou, emergency, market/,
    );
  });
});
