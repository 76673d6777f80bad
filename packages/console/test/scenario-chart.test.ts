import { describe, expect, test } from "vitest";
import { niceTicks, outcomeFigures, scenarioChart } from "../src/logic/scenario-chart.ts";
import { readScenarioResult, type ScenarioSeries } from "../src/logic/scenario-result.ts";

const t = (h: number, m = 0) => `2030-01-15T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00.000Z`;
/** Four hours in hourly steps, 16:00–20:00Z. */
const T = [16, 17, 18, 19].map((h) => t(h));
const series: ScenarioSeries = {
  subject: "portfolio-a",
  t: T,
  power: [
    { name: "aggregate", role: "net", kw: [2, 1, -6, 2.5] },
    { name: "without", role: "baseline", kw: [2, 2, 2, 2] },
  ],
  bounds: [{ name: "DISPATCH_SETPOINT", kind: "setpoint", kw: [null, null, -6, null] }],
};

function resultJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scenario: "market",
    title: "Market dispatch",
    useCase: "IEC TR 62746-2 flexibility market",
    vtn: "http://127.0.0.1:1/openadr3/3.1.0",
    simulated: { start: t(16), end: t(20), stepMinutes: 60 },
    sites: ["portfolio-a", "home-1"],
    created: [],
    outcome: { setpointKw: -6, largestDeviationKw: 0, optedOut: ["ven-9"], chart: ["  16:00Z  x"] },
    checks: [{ name: "follows the setpoint", ok: true, detail: "0.00 kW" }],
    steps: T.map((st, i) => ({
      t: st,
      netKw: [series.power[0].kw[i], 1],
      baselineKw: [2, 1],
      inForce: [[], []],
    })),
    errors: [],
    wallMs: 10,
    ...extra,
  };
}

describe("reading a scenario result file", () => {
  test("a result with its series is taken as it is", () => {
    const r = readScenarioResult(JSON.stringify(resultJson({ series })));
    expect(r).toMatchObject({
      ok: true,
      result: { scenario: "market", derived: false, series, checks: [{ ok: true, detail: "0.00 kW" }] },
    });
  });

  test("a result written before series: the chart is the sum over the sites of the steps", () => {
    const r = readScenarioResult(JSON.stringify(resultJson()));
    if (!r.ok) throw new Error(r.error);
    expect(r.result.derived).toBe(true);
    expect(r.result.series.power).toEqual([
      { name: "net", role: "net", kw: [3, 2, -5, 3.5] },
      { name: "baseline", role: "baseline", kw: [3, 3, 3, 3] },
    ]);
    expect(r.result.series.bounds).toEqual([]);
    expect(r.result.series.subject).toBe("2 site(s)");
  });

  test.each([
    ["not JSON", "{ nope", /not a result of gridlink scenario.*it is not JSON/],
    ["a JSON list", "[1, 2]", /it is not a JSON object/],
    [
      "another JSON file",
      JSON.stringify({ name: "gridlink", version: "0.1.0" }),
      /it has no scenario, title, simulated/,
    ],
    [
      "a step without numbers",
      JSON.stringify(resultJson({ steps: [{ t: t(16), netKw: ["x"], baselineKw: [1] }] })),
      /step 0 needs t, netKw and baselineKw/,
    ],
    ["no steps", JSON.stringify(resultJson({ steps: [] })), /steps is empty/],
    [
      "a series whose lines are shorter than its times",
      JSON.stringify(resultJson({ series: { ...series, power: [{ name: "net", role: "net", kw: [1] }] } })),
      /series.power needs a name and 4 kW values each/,
    ],
    [
      "a bound with text in it",
      JSON.stringify(
        resultJson({ series: { ...series, bounds: [{ name: "x", kind: "setpoint", kw: ["a", 1, 1, 1] }] } }),
      ),
      /series.bounds needs a name and 4 values/,
    ],
    [
      "checks that are not checks",
      JSON.stringify(resultJson({ checks: [{ ok: "yes" }] })),
      /checks are not a list of \{name, ok, detail\}/,
    ],
  ])("%s is refused with a message", (_name, text, message) => {
    const r = readScenarioResult(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("the chart's geometry", () => {
  const box = { width: 400, height: 200 };
  const c = scenarioChart(series, box);

  test("round ticks spanning every value and zero", () => {
    expect(niceTicks(-6, 2.5)).toEqual([-6, -4, -2, 0, 2, 4]);
    expect(niceTicks(0, 52.5)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(0, 0.45, 4)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(3, 3)).toEqual([2, 3, 4]);
    expect(c.yTicks.map((x) => x.label)).toEqual(["-6", "-4", "-2", "0", "2", "4"]);
  });

  test("each line holds each step's value from its time to the next", () => {
    const { left, right, top, bottom } = c.plot;
    expect(c.lines.map((l) => [l.name, l.count])).toEqual([
      ["aggregate", 4],
      ["without", 4],
    ]);
    // 16:00–20:00 spans the plot; −6 is the bottom tick, 4 the top.
    const y = (kw: number) => Number((bottom - ((kw + 6) / 10) * (bottom - top)).toFixed(1));
    const x = (i: number) => Number((left + (i / 4) * (right - left)).toFixed(1));
    expect(c.lines[0].points).toBe([2, 1, -6, 2.5].map((v, i) => `${x(i)},${y(v)} ${x(i + 1)},${y(v)}`).join(" "));
    expect(c.zero).toBe(y(0));
  });

  test("a bound is drawn where it is in force, to the end of its last step", () => {
    expect(c.bounds).toHaveLength(1);
    expect(c.bounds[0].runs).toEqual([
      { x1: c.xTicks[2].at, x2: c.xTicks[3].at, y: c.yTicks[0].at, kw: -6, from: "18:00", to: "19:00" },
    ]);
  });

  test("hourly UTC ticks, fewer when they would not fit", () => {
    expect(c.xTicks.map((x) => x.label)).toEqual(["16:00", "17:00", "18:00", "19:00", "20:00"]);
    const day: ScenarioSeries = {
      subject: "tariff",
      t: Array.from({ length: 288 }, (_, i) =>
        new Date(Date.parse("2030-01-15T00:00:00Z") + i * 300_000).toISOString(),
      ),
      power: [{ name: "homes", role: "net", kw: Array(288).fill(1) }],
      bounds: [],
      price: { name: "PRICE", unit: "EUR/kWh", values: Array.from({ length: 288 }, (_, i) => (i < 72 ? 0.12 : 0.45)) },
    };
    const narrow = scenarioChart(day, { width: 400, height: 200 });
    expect(narrow.xTicks.map((x) => x.label)).toEqual(["00:00", "06:00", "12:00", "18:00", "00:00"]);
    expect(scenarioChart(day).xTicks).toHaveLength(13);
    // The price on its own axis, a step path: one move and 288 held values.
    expect(narrow.price?.ticks.map((x) => x.label)).toEqual(["0", "0.2", "0.4", "0.6"]);
    expect(narrow.price?.path.match(/H/g)).toHaveLength(288);
  });
});

test("outcome figures: numbers, text and short lists; the text chart left out", () => {
  expect(outcomeFigures({ setpointKw: -6, optedOut: ["ven-9"], none: [], chart: ["a", "b"], note: "x" })).toEqual([
    { name: "setpointKw", value: "-6" },
    { name: "optedOut", value: "ven-9" },
    { name: "none", value: "none" },
    { name: "note", value: "x" },
  ]);
});
