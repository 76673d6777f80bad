// Figures over the recorded steps of a scenario.
import { round, STEP_MS, type StepRow } from "./fleet.ts";
import type { ScenarioSeries } from "./types.ts";

const STEP_H = STEP_MS / 3_600_000;

/** Rows whose step starts in [from, to). */
export function within(rows: readonly StepRow[], from: Date, to: Date): StepRow[] {
  return rows.filter((r) => {
    const t = Date.parse(r.t);
    return t >= from.getTime() && t < to.getTime();
  });
}

/** Sum over the sites of one row (all, or those at `only`). */
export function total(values: readonly number[], only?: readonly number[]): number {
  return (only ?? values.map((_, i) => i)).reduce((a, i) => a + values[i], 0);
}

export function peak(rows: readonly StepRow[], of: (r: StepRow) => number): number {
  return rows.reduce((m, r) => Math.max(m, of(r)), Number.NEGATIVE_INFINITY);
}

/** Energy of a power series at the scenario's step, kWh. */
export function energyKwh(rows: readonly StepRow[], of: (r: StepRow) => number): number {
  return rows.reduce((a, r) => a + of(r) * STEP_H, 0);
}

/** A one-line-per-hour text chart of a series against a line (a limit, a setpoint). */
export function hourlyChart(
  rows: readonly StepRow[],
  series: Record<string, (r: StepRow) => number>,
  width = 40,
): string[] {
  const names = Object.keys(series);
  const hourly = rows.filter((r) => new Date(r.t).getUTCMinutes() === 0);
  const max = Math.max(1, ...hourly.flatMap((r) => names.map((n) => Math.abs(series[n](r)))));
  return hourly.map((r) => {
    const cells = names.map((n) => {
      const v = series[n](r);
      const bar = "#".repeat(Math.round((Math.abs(v) / max) * width));
      return `${n} ${v.toFixed(1).padStart(6)} kW ${v < 0 ? "-" : " "}${bar.padEnd(width)}`;
    });
    return `  ${r.t.slice(11, 16)}Z  ${cells.join("  ")}`;
  });
}

/** A limit or setpoint of `value` in force in [from, to), null outside. */
export function inForce(from: Date, to: Date, value: number): (r: StepRow) => number | null {
  return (r) => {
    const t = Date.parse(r.t);
    return t >= from.getTime() && t < to.getTime() ? value : null;
  };
}

/** The run's chart for the console: each line evaluated at every recorded step. */
export function scenarioSeries(
  rows: readonly StepRow[],
  subject: string,
  power: Array<{ name: string; role: "net" | "baseline" | "site"; of: (r: StepRow) => number }>,
  bounds: Array<{ name: string; kind: "import-limit" | "setpoint"; of: (r: StepRow) => number | null }>,
  price?: { name: string; unit: string; of: (r: StepRow) => number },
): ScenarioSeries {
  return {
    subject,
    t: rows.map((r) => r.t),
    power: power.map((p) => ({ name: p.name, role: p.role, kw: rows.map((r) => round(p.of(r))) })),
    bounds: bounds.map((b) => ({ name: b.name, kind: b.kind, kw: rows.map(b.of) })),
    ...(price ? { price: { name: price.name, unit: price.unit, values: rows.map(price.of) } } : {}),
  };
}
