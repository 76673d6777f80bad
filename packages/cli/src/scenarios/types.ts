// What a scenario is and what it hands back (docs/scenarios.md).
import type { Event, Program } from "@gridlink/model";
import type { ScenarioFleet, StepRow } from "./fleet.ts";

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface VenCredentials extends Credentials {
  venName: string;
}

/** The VTN a scenario runs against: its 3.1.0 base URL, a BL client and enough VEN clients. */
export interface ScenarioVtn {
  url: string;
  bl: Credentials;
  vens: VenCredentials[];
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  /** The use case of IEC TR 62746-2 it plays. */
  useCase: string;
  vtn: string;
  simulated: { start: string; end: string; stepMinutes: number };
  sites: string[];
  /** What the BL created: programs and events, by id and name. */
  created: Array<{ type: "PROGRAM" | "EVENT"; id: string; name: string }>;
  /** The figures of the outcome (kW, kWh, counts). */
  outcome: Record<string, number | string | string[]>;
  checks: Check[];
  /** The chart of the run, one value per step, for the console's Scenarios view. */
  series: ScenarioSeries;
  /** Every simulated step: net and baseline per site. */
  steps: StepRow[];
  errors: string[];
  wallMs: number;
}

/**
 * What the console draws (docs/scenarios.md §The JSON): the site or group's net power and its
 * baseline, and what the scenario set (a limit, a setpoint, a price), one value per step at
 * `t` (the steps' times); null where a limit or setpoint is not in force.
 */
export interface ScenarioSeries {
  /** What the power lines are of, e.g. "feeder-7 (4 homes)". */
  subject: string;
  t: string[];
  /** kW, + = import. role "net" is what the sites did, "baseline" their twins without signals. */
  power: Array<{ name: string; role: "net" | "baseline" | "site"; kw: number[] }>;
  /** Limits and setpoints the scenario set, kW. */
  bounds: Array<{ name: string; kind: "import-limit" | "setpoint"; kw: Array<number | null> }>;
  /** A price the scenario set, drawn on an axis of its own. */
  price?: { name: string; unit: string; values: number[] };
}

export type Created = ScenarioResult["created"][number];

/** What a scenario's run hands to runScenario, which adds what every result carries. */
export interface ScenarioRun {
  fleet: ScenarioFleet;
  sites: string[];
  created: Created[];
  outcome: ScenarioResult["outcome"];
  series: ScenarioSeries;
  checks: Check[];
}

export interface Scenario {
  name: string;
  title: string;
  useCase: string;
  /** VEN clients it needs. */
  vens: number;
  run(vtn: ScenarioVtn, log: (line: string) => void): Promise<ScenarioRun>;
}

export function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail };
}

/** The program and the event the BL published. */
export function published(program: Program, event: Event): Created[] {
  return [
    { type: "PROGRAM", id: program.id, name: program.programName },
    { type: "EVENT", id: event.id, name: event.eventName ?? "" },
  ];
}
