// The geometry of a scenario's chart over time (views/ScenariosView.tsx), pure: the power lines
// (net, baseline, single sites) and the limits and setpoints the scenario set on one kW axis, a
// price on an axis of its own, hourly time ticks in UTC (the scenarios run on UTC days).
import type { ScenarioSeries } from "./scenario-result.ts";

export interface Box {
  width: number;
  height: number;
}

export interface Tick {
  value: number;
  /** Position along the axis, px. */
  at: number;
  label: string;
}

export interface ChartLine {
  name: string;
  role: "net" | "baseline" | "site";
  /** SVG polyline points "x,y x,y …", two per step (its start and its end, at its value). */
  points: string;
  count: number;
}

export interface ChartBound {
  name: string;
  kind: "import-limit" | "setpoint";
  /** One horizontal run per stretch where the bound is in force, from its first step to the end of its last. */
  runs: Array<{ x1: number; x2: number; y: number; kw: number; from: string; to: string }>;
}

export interface ScenarioChart {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  xTicks: Tick[];
  yTicks: Tick[];
  /** y of 0 kW. */
  zero: number;
  lines: ChartLine[];
  bounds: ChartBound[];
  price?: { name: string; unit: string; path: string; ticks: Tick[] };
}

/** Round tick values spanning [min, max]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    const v = Number.isFinite(min) ? min : 0;
    return [v - 1, v, v + 1];
  }
  const rough = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  if (out[out.length - 1] < max) out.push(Number((out[out.length - 1] + step).toFixed(10)));
  return out;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3))));
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const HOUR = 3_600_000;

export function scenarioChart(s: ScenarioSeries, box: Box = { width: 720, height: 320 }): ScenarioChart {
  const plot = { left: 48, right: box.width - (s.price ? 56 : 16), top: 24, bottom: box.height - 28 };
  const times = s.t.map((t) => Date.parse(t));
  const step = times.length > 1 ? times[1] - times[0] : HOUR;
  const t0 = times[0];
  const t1 = times[times.length - 1] + step;
  const x = (ms: number) => plot.left + ((ms - t0) / (t1 - t0)) * (plot.right - plot.left);

  const values = [
    0,
    ...s.power.flatMap((p) => p.kw),
    ...s.bounds.flatMap((b) => b.kw.filter((v): v is number => v !== null)),
  ];
  const yValues = niceTicks(Math.min(...values), Math.max(...values));
  const [lo, hi] = [yValues[0], yValues[yValues.length - 1]];
  const y = (kw: number) => plot.bottom - ((kw - lo) / (hi - lo)) * (plot.bottom - plot.top);
  const px = (v: number) => Number(v.toFixed(1));

  // An hourly tick where the labels fit (about 44 px each), every 1, 2, 3, 6 or 12 hours.
  const hours = (t1 - t0) / HOUR;
  const room = Math.max(1, Math.floor((plot.right - plot.left) / 44));
  const every = [1, 2, 3, 6, 12, 24].find((h) => hours / h <= room) ?? 24;
  const xTicks: Tick[] = [];
  for (let ms = Math.ceil(t0 / HOUR) * HOUR; ms <= t1; ms += HOUR)
    if (new Date(ms).getUTCHours() % every === 0) xTicks.push({ value: ms, at: px(x(ms)), label: hhmm(ms) });

  // A step's value is its mean power over the step: each holds from its time to the next.
  const lines: ChartLine[] = s.power.map((p) => ({
    name: p.name,
    role: p.role,
    points: p.kw.map((v, i) => `${px(x(times[i]))},${px(y(v))} ${px(x(times[i] + step))},${px(y(v))}`).join(" "),
    count: p.kw.length,
  }));

  const bounds: ChartBound[] = s.bounds.map((b) => {
    const runs: ChartBound["runs"] = [];
    let i = 0;
    while (i < b.kw.length) {
      const v = b.kw[i];
      if (v === null) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < b.kw.length && b.kw[j + 1] === v) j++;
      const end = times[j] + step;
      runs.push({ x1: px(x(times[i])), x2: px(x(end)), y: px(y(v)), kw: v, from: hhmm(times[i]), to: hhmm(end) });
      i = j + 1;
    }
    return { name: b.name, kind: b.kind, runs };
  });

  let price: ScenarioChart["price"];
  if (s.price) {
    const pv = s.price.values;
    const pt = niceTicks(Math.min(0, ...pv), Math.max(...pv), 4);
    const [plo, phi] = [pt[0], pt[pt.length - 1]];
    const py = (v: number) => plot.bottom - ((v - plo) / (phi - plo)) * (plot.bottom - plot.top);
    // A price holds over its step: a step path.
    const path = pv
      .map((v, i) => `${i === 0 ? "M" : "L"}${px(x(times[i]))},${px(py(v))} H${px(x(times[i] + step))}`)
      .join(" ");
    price = {
      name: s.price.name,
      unit: s.price.unit,
      path,
      ticks: pt.map((v) => ({ value: v, at: px(py(v)), label: fmt(v) })),
    };
  }

  return {
    width: box.width,
    height: box.height,
    plot,
    xTicks,
    yTicks: yValues.map((v) => ({ value: v, at: px(y(v)), label: fmt(v) })),
    zero: px(y(0)),
    lines,
    bounds,
    price,
  };
}

/** The outcome figures worth a row: numbers and text (the text chart and lists are left out). */
export function outcomeFigures(outcome: Record<string, unknown>): Array<{ name: string; value: string }> {
  return Object.entries(outcome)
    .filter(([, v]) => typeof v === "number" || typeof v === "string" || (Array.isArray(v) && v.length <= 5))
    .filter(([k]) => k !== "chart")
    .map(([name, v]) => ({ name, value: Array.isArray(v) ? v.join(", ") || "none" : String(v) }));
}
