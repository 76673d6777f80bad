// A site: resources behind one grid connection, stepped through time under a directive. Each step
// also runs the baseline twin (the same resources, no signals) so that reports can state what the
// site would have done without the events (BASELINE, DELTA_USAGE).
import type { TelemetrySource } from "@gridlink/ven";
import { dispatch, type Range } from "./dispatch.ts";
import type { Plant } from "./plant.ts";
import { SiteReportSource } from "./report-source.ts";
import type { Flex, Resource } from "./resources/types.ts";
import {
  type Constraint,
  constraintsOf,
  type GridConnection,
  type NetFlex,
  resolveConstraints,
} from "./strategies/constraints.ts";
import { type Directive, EMPTY_DIRECTIVE } from "./strategies/directive.ts";
import { preferredPowers } from "./strategies/preferences.ts";
import { Telemetry } from "./telemetry.ts";

export interface SiteSpec {
  name: string;
  resources: Resource[];
  grid?: GridConnection;
  /** How long telemetry is kept (default 26 h), at `stepMs` steps (default 60 s). */
  retentionHours?: number;
  stepMs?: number;
}

export interface Prepared {
  t: Date;
  dtH: number;
  directive: Directive;
  flexes: Flex[];
  preferred: number[];
  net: NetFlex;
}

export interface StepResult {
  t: Date;
  netKw: number;
  baselineKw: number;
  powers: number[];
  /** kW by which the net stayed outside the required range (0 when it was met). */
  violationKw: number;
  applied: Constraint[];
  dropped: Constraint[];
}

export class Site implements Plant {
  readonly name: string;
  readonly resources: readonly Resource[];
  readonly grid: GridConnection;
  readonly telemetry: Telemetry;
  private readonly twins: Resource[];
  private reportSource: SiteReportSource | undefined;

  constructor(spec: SiteSpec) {
    if (spec.resources.length === 0) throw new Error(`site ${spec.name}: a site needs at least one resource`);
    const names = spec.resources.map((r) => r.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`site ${spec.name}: two resources are named "${dup}"`);
    this.name = spec.name;
    this.resources = spec.resources;
    this.grid = spec.grid ?? {};
    this.twins = spec.resources.map((r) => r.clone());
    const steps = Math.ceil(((spec.retentionHours ?? 26) * 3_600_000) / (spec.stepMs ?? 60_000));
    this.telemetry = new Telemetry(names, Math.max(16, steps));
  }

  get resourceNames(): string[] {
    return this.resources.map((r) => r.name);
  }

  get source(): TelemetrySource {
    this.reportSource ??= new SiteReportSource(this);
    return this.reportSource;
  }

  /** Flexibility and preferences for the step [t, t + dtH), before any range is enforced. */
  prepare(t: Date, dtH: number, directive: Directive): Prepared {
    const flexes = this.resources.map((r) => r.flex(t, dtH));
    const preferred = preferredPowers(this.resources, flexes, t, dtH, directive);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const net = { min: sum(flexes.map((f) => f.min)), max: sum(flexes.map((f) => f.max)), preferred: sum(preferred) };
    return { t, dtH, directive, flexes, preferred, net };
  }

  /** The range this site's own constraints ask for (signals and grid connection, by priority). */
  range(p: Prepared): { range: Range; applied: Constraint[]; dropped: Constraint[] } {
    return resolveConstraints(constraintsOf(p.directive, p.net, this.grid));
  }

  /** Runs the step with the net kept inside `range` as far as the resources allow. */
  commit(p: Prepared, range: Range, applied: Constraint[] = [], dropped: Constraint[] = []): StepResult {
    const units = this.resources.map((r, i) => ({ kind: r.kind, flex: p.flexes[i], preferred: p.preferred[i] }));
    const plan = dispatch(units, range);
    const powers = this.resources.map((r, i) => r.step(p.t, p.dtH, plan.setpoints[i]));
    const baselinePowers = this.stepTwins(p.t, p.dtH);
    const netKw = powers.reduce((a, b) => a + b, 0);
    const baselineKw = baselinePowers.reduce((a, b) => a + b, 0);
    this.telemetry.record({
      t: p.t.getTime(),
      dtMs: p.dtH * 3_600_000,
      net: netKw,
      baselineNet: baselineKw,
      powers,
      baselinePowers,
      soc: this.resources.map((r) => r.storage?.().socPercent ?? Number.NaN),
      active: p.directive.inForce.length > 0,
    });
    return { t: p.t, netKw, baselineKw, powers, violationKw: plan.violation, applied, dropped };
  }

  step(t: Date, dtH: number, directive: Directive): StepResult {
    const p = this.prepare(t, dtH, directive);
    const r = this.range(p);
    return this.commit(p, r.range, r.applied, r.dropped);
  }

  private stepTwins(t: Date, dtH: number): number[] {
    const flexes = this.twins.map((r) => r.flex(t, dtH));
    const preferred = preferredPowers(this.twins, flexes, t, dtH, EMPTY_DIRECTIVE);
    const net = { min: 0, max: 0, preferred: 0 };
    const { range } = resolveConstraints(constraintsOf(EMPTY_DIRECTIVE, net, this.grid));
    const plan = dispatch(
      this.twins.map((r, i) => ({ kind: r.kind, flex: flexes[i], preferred: preferred[i] })),
      range,
    );
    return this.twins.map((r, i) => r.step(t, dtH, plan.setpoints[i]));
  }
}
