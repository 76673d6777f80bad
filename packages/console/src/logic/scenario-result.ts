// A result file of `gridlink scenario <name> --out FILE` (docs/scenarios.md §The JSON), read and
// checked in the browser before anything is drawn: a file that is not such a result gets a
// message that says what is missing, never a half-drawn chart. Pure.

export interface ScenarioCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * The chart part of a result, as packages/cli/src/scenarios/types.ts ScenarioSeries writes it.
 * Declared again here: the console is a browser bundle and does not import the CLI (a Node
 * package); the file format (docs/scenarios.md §The JSON) is the contract, checked below.
 */
export interface ScenarioSeries {
  subject: string;
  t: string[];
  power: Array<{ name: string; role: "net" | "baseline" | "site"; kw: number[] }>;
  bounds: Array<{ name: string; kind: "import-limit" | "setpoint"; kw: Array<number | null> }>;
  price?: { name: string; unit: string; values: number[] };
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  useCase: string;
  simulated: { start: string; end: string; stepMinutes: number };
  sites: string[];
  outcome: Record<string, number | string | string[]>;
  checks: ScenarioCheck[];
  errors: string[];
  series: ScenarioSeries;
  /**
   * The file has no `series` (written before the command wrote one): the chart is the sum over
   * the sites of `steps`, without the limits the scenario set.
   */
  derived: boolean;
}

export type Read = { ok: true; result: ScenarioResult } | { ok: false; error: string };

const NOT_A_RESULT = "This is not a result of gridlink scenario (--out FILE)";

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
const isNumbers = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === "number");
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === "string");
const isTime = (x: unknown) => typeof x === "string" && !Number.isNaN(Date.parse(x));

export function readScenarioResult(text: string): Read {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${NOT_A_RESULT}: it is not JSON (${(err as Error).message}).` };
  }
  if (!isObject(raw)) return { ok: false, error: `${NOT_A_RESULT}: it is not a JSON object.` };
  const missing = ["scenario", "title", "simulated", "outcome", "checks", "steps"].filter((k) => !(k in raw));
  if (missing.length > 0) return { ok: false, error: `${NOT_A_RESULT}: it has no ${missing.join(", ")}.` };
  const fail = (what: string): Read => ({ ok: false, error: `${NOT_A_RESULT}: ${what}.` });
  const sim = raw.simulated;
  if (!isObject(sim) || !isTime(sim.start) || !isTime(sim.end) || typeof sim.stepMinutes !== "number")
    return fail("simulated needs start, end (date-times) and stepMinutes");
  if (typeof raw.scenario !== "string" || typeof raw.title !== "string") return fail("scenario and title are text");
  if (!isObject(raw.outcome)) return fail("outcome is not an object");
  const checks = raw.checks;
  if (
    !Array.isArray(checks) ||
    !checks.every((c) => isObject(c) && typeof c.name === "string" && typeof c.ok === "boolean")
  )
    return fail("checks are not a list of {name, ok, detail}");
  const steps = raw.steps;
  if (!Array.isArray(steps) || steps.length === 0) return fail("steps is empty");
  for (const [i, s] of steps.entries())
    if (!isObject(s) || !isTime(s.t) || !isNumbers(s.netKw) || !isNumbers(s.baselineKw))
      return fail(`step ${i} needs t, netKw and baselineKw`);
  let series: ScenarioSeries;
  const derived = raw.series === undefined;
  if (derived) {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    series = {
      subject: isStrings(raw.sites) ? `${raw.sites.length} site(s)` : "the sites",
      t: steps.map((s) => s.t as string),
      power: [
        { name: "net", role: "net", kw: steps.map((s) => sum(s.netKw as number[])) },
        { name: "baseline", role: "baseline", kw: steps.map((s) => sum(s.baselineKw as number[])) },
      ],
      bounds: [],
    };
  } else {
    const checked = checkSeries(raw.series);
    if (typeof checked === "string") return fail(checked);
    series = checked;
  }
  return {
    ok: true,
    result: {
      scenario: raw.scenario,
      title: raw.title,
      useCase: typeof raw.useCase === "string" ? raw.useCase : "",
      simulated: { start: sim.start as string, end: sim.end as string, stepMinutes: sim.stepMinutes },
      sites: isStrings(raw.sites) ? raw.sites : [],
      outcome: raw.outcome as ScenarioResult["outcome"],
      checks: checks.map((c) => ({ name: c.name, ok: c.ok, detail: typeof c.detail === "string" ? c.detail : "" })),
      errors: isStrings(raw.errors) ? raw.errors : [],
      series,
      derived,
    },
  };
}

/** The series, or what is wrong with it. */
function checkSeries(s: unknown): ScenarioSeries | string {
  if (!isObject(s) || !isStrings(s.t) || !s.t.every(isTime) || !Array.isArray(s.power) || !Array.isArray(s.bounds))
    return "series needs t (date-times), power and bounds";
  const n = s.t.length;
  if (n === 0) return "series.t is empty";
  for (const p of s.power)
    if (!isObject(p) || typeof p.name !== "string" || !isNumbers(p.kw) || p.kw.length !== n)
      return `series.power needs a name and ${n} kW values each`;
  for (const b of s.bounds)
    if (
      !isObject(b) ||
      typeof b.name !== "string" ||
      !Array.isArray(b.kw) ||
      b.kw.length !== n ||
      !b.kw.every((v) => v === null || typeof v === "number")
    )
      return `series.bounds needs a name and ${n} values (kW or null) each`;
  if (s.price !== undefined) {
    const p = s.price;
    if (!isObject(p) || typeof p.name !== "string" || !isNumbers(p.values) || p.values.length !== n)
      return `series.price needs a name, a unit and ${n} values`;
  }
  return s as unknown as ScenarioSeries;
}
