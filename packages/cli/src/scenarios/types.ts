// What a scenario is and what it hands back (docs/scenarios.md).
import type { StepRow } from "./fleet.ts";

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
  /** Every simulated step: net and baseline per site. */
  steps: StepRow[];
  errors: string[];
  wallMs: number;
}

export interface Scenario {
  name: string;
  title: string;
  useCase: string;
  /** VEN clients it needs. */
  vens: number;
  /** Which of them are OpenADR 2.0b VENs (indexes), for an embedded VTN to provision alike. */
  run(vtn: ScenarioVtn, log: (line: string) => void): Promise<Omit<ScenarioResult, "wallMs" | "vtn">>;
}

export function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail };
}
