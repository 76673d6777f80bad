// The data of one report chart: the event's first numeric payload as a step line and each
// reported numeric series (client, resource, payload type) as another, on a shared time axis in
// seconds (uPlot's x unit).

import type { Event } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import type { ReportRow } from "./report-rows.ts";

export interface Series {
  label: string;
  /** "event" is drawn on the left axis, "report" on the right. */
  scale: "event" | "report";
  values: Array<number | null>;
}

export interface ChartData {
  xs: number[];
  series: Series[];
}

interface Step {
  start: number;
  end: number;
  value: number;
}

/** The step's value at x: the step in force, else one ending exactly there (closes the line). */
function valueAt(steps: readonly Step[], x: number): number | null {
  const inForce = steps.find((s) => s.start <= x && x < s.end);
  if (inForce) return inForce.value;
  const ending = steps.find((s) => s.end === x);
  return ending ? ending.value : null;
}

export function chartData(event: Event | undefined, rows: readonly ReportRow[], now = new Date()): ChartData {
  const lines: Array<{ label: string; scale: Series["scale"]; steps: Step[] }> = [];
  if (event) {
    let resolved: ReturnType<typeof resolveIntervals> = [];
    try {
      resolved = resolveIntervals(event, { now });
    } catch {
      // not placeable: no event line
    }
    const type = resolved.flatMap((iv) => iv.payloads).find((p) => p.values.some((v) => typeof v === "number"))?.type;
    if (type) {
      const d = event.payloadDescriptors?.find((x) => x.payloadType === type);
      const unit = [d?.currency, d?.units].filter(Boolean).join("/");
      const steps: Step[] = [];
      for (const iv of resolved) {
        const v = iv.payloads.find((p) => p.type === type)?.values[0];
        if (typeof v === "number") steps.push({ start: iv.start.getTime(), end: iv.end.getTime(), value: v });
      }
      lines.push({ label: `event ${type}${unit ? ` (${unit})` : ""}`, scale: "event", steps });
    }
  }
  const byKey = new Map<string, Step[]>();
  for (const r of rows) {
    const v = r.values[0];
    if (typeof v !== "number" || r.start === undefined || r.end === undefined) continue;
    const key = `${r.clientName} · ${r.resourceName} · ${r.payloadType}${r.units ? ` (${r.units})` : ""}`;
    const steps = byKey.get(key) ?? [];
    steps.push({ start: r.start, end: Math.max(r.end, r.start), value: v });
    byKey.set(key, steps);
  }
  for (const [label, steps] of byKey) lines.push({ label, scale: "report", steps });
  const xsMs = [...new Set(lines.flatMap((l) => l.steps.flatMap((s) => [s.start, s.end])))].sort((a, b) => a - b);
  return {
    xs: xsMs.map((x) => x / 1000),
    series: lines.map((l) => ({ label: l.label, scale: l.scale, values: xsMs.map((x) => valueAt(l.steps, x)) })),
  };
}
