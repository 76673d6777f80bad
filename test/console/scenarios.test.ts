// The Scenarios view (issue 14) in a real chromium: a real result of `gridlink scenario market`
// (the command run in this process against the test VTN, its JSON written to a file) opened
// through the file input and by drag and drop, drawn as a chart whose points, setpoint and labels
// come from the file; a file that is not a scenario result gets a clear message; at 400 px the
// view does not scroll sideways. Screenshots go to test/console/artifacts/ (gitignored).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseArgs } from "../../packages/cli/src/args.ts";
import { runScenarioCommand } from "../../packages/cli/src/scenario.ts";
import { shot, sidewaysOverflow, startViewSession, type ViewSession } from "./view-session.ts";

let s: ViewSession;
let dir: string;
let file: string;
// biome-ignore lint/suspicious/noExplicitAny: the result file as JSON, read back as the console reads it
let json: any;

beforeAll(async () => {
  s = await startViewSession("scenarios");
  dir = mkdtempSync(join(tmpdir(), "gridlink-console-scenario-"));
  const creds = join(dir, "credentials.json");
  writeFileSync(creds, JSON.stringify({ bl: s.vtn.bl, vens: s.vtn.vens }));
  file = join(dir, "market.json");
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await runScenarioCommand(
      parseArgs(["scenario", "market", "--vtn", s.vtn.url, "--credentials", creds, "--out", file]),
    );
  } finally {
    process.stderr.write = write;
  }
  json = JSON.parse(readFileSync(file, "utf8"));
}, 120_000);

afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the Scenarios view", () => {
  test("a result file opened with the file input is drawn: the aggregate on the setpoint while it is in force", async () => {
    const { page } = s;
    await page.goto(`${s.origin}/console/#/scenarios`);
    await page.getByRole("heading", { name: "Scenarios" }).waitFor();
    await page.getByLabel("Scenario result (JSON)").setInputFiles(file);
    const chart = page.getByTestId("scenario-chart");
    await chart.waitFor();
    expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe(`market: ${json.title}`);
    expect(await page.getByTestId("scenario-verdict").textContent()).toBe(`all ${json.checks.length} checks ok`);

    // Each power line of the file holds each simulated step's value: two points per step.
    const steps: number = json.steps.length;
    expect(steps).toBe(48);
    const points = async (name: string) =>
      (await chart.locator(`polyline[data-series="${name}"]`).getAttribute("points"))
        ?.split(" ")
        .map((p) => p.split(",").map(Number)) ?? [];
    const net = await points("aggregate");
    const base = await points("without the dispatch");
    expect(net).toHaveLength(2 * steps);
    expect(base).toHaveLength(2 * steps);
    // The setpoint the scenario set, drawn 18:00–19:00 at −6 kW, and labelled so.
    const bound = chart.getByTestId("bound");
    expect(await bound.count()).toBe(1);
    expect(await bound.locator("text").textContent()).toBe("DISPATCH_SETPOINT -6 kW");
    const line = bound.locator("line");
    const [x1, x2, y] = await Promise.all(["x1", "x2", "y1"].map(async (a) => Number(await line.getAttribute(a))));
    // In the steps 18:00–19:00 of the file the aggregate's line lies on the setpoint's (the check
    // allows 0.5 kW), from the setpoint's start to its end; before, it is on its baseline.
    const kwPerPx = await kwPerPixel();
    const hour = (i: number) => new Date(json.steps[i].t).getUTCHours();
    const dispatch = json.steps.map((_: unknown, i: number) => i).filter((i: number) => hour(i) === 18);
    expect(dispatch).toHaveLength(12);
    expect(net[2 * dispatch[0]][0]).toBe(x1);
    expect(net[2 * dispatch[11] + 1][0]).toBe(x2);
    for (const i of dispatch) expect(Math.abs(net[2 * i][1] - y) * kwPerPx).toBeLessThanOrEqual(0.5);
    for (let i = 0; i < dispatch[0]; i++) expect(Math.abs(net[2 * i][1] - base[2 * i][1]) * kwPerPx).toBeLessThan(0.5);
    const ticks = await chart.getByTestId("x-tick").allTextContents();
    expect(ticks).toEqual(["16:00", "17:00", "18:00", "19:00", "20:00"]);
    expect(await page.getByRole("list", { name: "Chart legend" }).textContent()).toContain(
      "DISPATCH_SETPOINT: -6 kW 18:00–19:00Z",
    );

    // The checks and the outcome figures, from the file.
    expect(await page.getByTestId("scenario-check").allTextContents()).toEqual(
      json.checks.map((c: { name: string; detail: string }) => `ok ${c.name} (${c.detail})`),
    );
    const figures = Object.fromEntries(
      (await page
        .getByTestId("outcome-figure")
        .evaluateAll((els) =>
          els.map((e) => [e.querySelector("dt")?.textContent, e.querySelector("dd")?.textContent]),
        )) as Array<[string, string]>,
    );
    expect(figures).toEqual({
      setpointKw: String(json.outcome.setpointKw),
      largestDeviationKw: String(json.outcome.largestDeviationKw),
      flexibilityDeliveredKwh: String(json.outcome.flexibilityDeliveredKwh),
      reportsReceived: String(json.outcome.reportsReceived),
    });
    await shot(page, "scenarios-market");
  }, 30_000);

  test("a file dropped on the view opens too; a file that is not a result is refused with a message", async () => {
    const { page } = s;
    await page.goto(`${s.origin}/console/#/dashboard`);
    await page.goto(`${s.origin}/console/#/scenarios`);
    await page.getByRole("heading", { name: "Scenarios" }).waitFor();
    const drop = async (name: string, text: string) => {
      const data = await page.evaluateHandle(
        ([n, t]) => {
          const d = new DataTransfer();
          d.items.add(new File([t], n, { type: "application/json" }));
          return d;
        },
        [name, text] as const,
      );
      await page.getByTestId("scenario-drop").dispatchEvent("drop", { dataTransfer: data });
    };
    await drop("package.json", JSON.stringify({ name: "gridlink", version: "0.1.0" }));
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe(
        "package.json: This is not a result of gridlink scenario (--out FILE): it has no scenario, title, simulated, outcome, checks, steps.",
      );
    expect(await page.getByTestId("scenario-chart").count()).toBe(0);
    await drop("market.json", readFileSync(file, "utf8"));
    await page.getByTestId("scenario-chart").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.locator('polyline[data-series="aggregate"]').count()).toBe(1);
  }, 30_000);

  test("at 400 px the chart fits and nothing scrolls sideways", async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    await page.waitForTimeout(300);
    const box = await page.getByTestId("scenario-chart").boundingBox();
    expect(box?.width).toBeLessThanOrEqual(400);
    expect(await sidewaysOverflow(page)).toBeUndefined();
    await shot(page, "narrow-scenarios");
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(s.pageErrors).toEqual([]);
  }, 30_000);
});

/** kW per SVG unit of the drawn chart, from its y ticks (their labels and positions). */
async function kwPerPixel(): Promise<number> {
  const ticks = s.page.getByTestId("scenario-chart").getByTestId("y-tick");
  const labels = (await ticks.allTextContents()).map(Number);
  const ys = await ticks.evaluateAll((els) => els.map((e) => Number(e.getAttribute("y"))));
  return Math.abs(labels[labels.length - 1] - labels[0]) / Math.abs(ys[ys.length - 1] - ys[0]);
}
