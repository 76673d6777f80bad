// What a VEN runner drives: a single site, or a virtual resource made of several sites.
import type { TelemetrySource } from "@gridlink/ven";
import type { Directive } from "./strategies/directive.ts";

export interface PlantStep {
  t: Date;
  netKw: number;
  baselineKw: number;
  /** kW by which the net stayed outside the required range (0 when it was met). */
  violationKw: number;
}

export interface Plant {
  readonly name: string;
  /** The resources the VEN registers with the VTN and reports on. */
  readonly resourceNames: readonly string[];
  readonly source: TelemetrySource;
  step(t: Date, dtH: number, d: Directive): PlantStep;
}
