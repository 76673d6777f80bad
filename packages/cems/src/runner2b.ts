// A site as an OpenADR 2.0b VEN (IEC 62746-10-1): the same simulation and strategies as the 3.1
// SiteRunner, on the SDK's 2.0b session (@gridlink/ven/oadr2b), by poll or push, with mutual TLS
// and XML signatures when configured. The VTN decides which events the VEN
// sees, so every event it holds applies. Telemetry goes out as TELEMETRY_USAGE (usage, demand per
// resource) and TELEMETRY_STATUS whenever the VTN asks for it (oadrCreateReport); a step that cannot keep an event's
// limit opts the site out of that event (oadrCreateOpt, optReason notParticipating, the resources
// named) once per event version.
import type { Event } from "@gridlink/model";
import { EventTimeline, seededRandomize } from "@gridlink/ven";
import {
  Oadr2bPushReceiver,
  Oadr2bVen,
  type Oadr2bVenOptions,
  type PointMetadata,
  type ReportMetadata,
} from "@gridlink/ven/oadr2b";
import type { Clock } from "./clock.ts";
import type { Plant, PlantStep } from "./plant.ts";
import { costOutlook, type Directive, directiveAt } from "./strategies/directive.ts";

export interface Runner2bOptions {
  site: Plant;
  clock: Clock;
  /** The VTN's 2.0b base URL ({root}/OpenADR2/Simple/2.0b) and the VEN client's credentials. */
  vtn: Pick<Oadr2bVenOptions, "url" | "clientId" | "clientSecret" | "tokenUrl" | "tls" | "signing" | "vtnCertificate">;
  /** Push instead of poll: the VTN POSTs to a receiver listening here (port 0: any free port). */
  push?: { host?: string; port?: number; publicUrl?: string };
  venName: string;
  /** Simulation step (default 60 s of simulated time). */
  stepMs?: number;
  /** oadrPoll period (default: what the VTN asks for at registration). */
  pollMs?: number;
  /** Opt out of an event when a step misses its limit by more than this, kW (default 0.5). */
  optOutKw?: number;
  onError?: (err: Error) => void;
  onStep?: (r: PlantStep, d: Directive) => void;
}

export interface Runner2bStats {
  steps: number;
  reportsSent: number;
  reportErrors: number;
  violations: number;
  optOuts: number;
}

const H = 3_600_000;

/**
 * The data points of a site: usage (kWh) and demand (kW) per resource in a TELEMETRY_USAGE
 * report, and each resource's state (oadrPayloadResourceStatus) in a TELEMETRY_STATUS report.
 */
export function siteMetadata(resourceNames: readonly string[]): ReportMetadata[] {
  const status: PointMetadata[] = resourceNames.map((name) => ({
    rID: `${name}/status`,
    reportType: "x-resourceStatus",
    readingType: "x-notApplicable",
    resourceID: name,
    samplingRate: "PT1M",
  }));
  const points: PointMetadata[] = resourceNames.flatMap((name) => [
    {
      rID: `${name}/usage`,
      reportType: "usage",
      readingType: "Direct Read",
      resourceID: name,
      units: "energyReal",
      siScale: "k",
      samplingRate: "PT1M",
    },
    {
      rID: `${name}/demand`,
      reportType: "demand",
      readingType: "Mean",
      resourceID: name,
      units: "powerReal",
      siScale: "k",
      samplingRate: "PT1M",
    },
  ]);
  return [
    { reportSpecifierID: "gridlink-telemetry-usage", reportName: "TELEMETRY_USAGE", duration: "P1D", points },
    { reportSpecifierID: "gridlink-telemetry-status", reportName: "TELEMETRY_STATUS", duration: "P1D", points: status },
  ];
}

export class SiteRunner2b {
  private venSession: Oadr2bVen | undefined;
  private receiver: Oadr2bPushReceiver | undefined;
  readonly mode: "2.0b poll" | "2.0b push";
  readonly stats: Runner2bStats = { steps: 0, reportsSent: 0, reportErrors: 0, violations: 0, optOuts: 0 };
  private time = 0;
  private timeline: EventTimeline | undefined;
  private timelineRevision = -1;
  private cost: Directive["cost"] | null = null;
  private readonly randomize: ReturnType<typeof seededRandomize>;
  private readonly optedOut = new Set<string>();
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly opts: Runner2bOptions) {
    this.randomize = seededRandomize(opts.venName);
    this.mode = opts.push ? "2.0b push" : "2.0b poll";
  }

  /** The 2.0b session (after start()). */
  get ven(): Oadr2bVen {
    if (!this.venSession) throw new Error("SiteRunner2b: call start() first");
    return this.venSession;
  }

  private session(transportAddress?: string): Oadr2bVen {
    const opts = this.opts;
    const source = opts.site.source;
    return new Oadr2bVen({
      ...opts.vtn,
      venName: opts.venName,
      pull: transportAddress === undefined,
      transportAddress,
      pollMs: opts.pollMs,
      clock: () => opts.clock.now(),
      onError: opts.onError,
      reports: siteMetadata(opts.site.resourceNames),
      read: (p, start, end) => {
        if (p.reportType === "x-resourceStatus") {
          // Online unless idle (the site's OPERATING_STATE); a manual override while the site has
          // opted out of an event it still holds (2.0b has no finer state without load control).
          const state = source.read({
            payloadType: "OPERATING_STATE",
            resourceName: p.resourceID ?? "",
            start,
            end,
          })?.[0];
          if (typeof state !== "string") return undefined;
          return { online: !state.startsWith("IDLE"), manualOverride: this.optedOutOfHeldEvent() };
        }
        const usage = p.reportType === "usage";
        const v = source.read({
          payloadType: usage ? "USAGE" : "DEMAND",
          readingType: usage ? "DIRECT_READ" : "MEAN",
          units: usage ? "KWH" : "KW",
          resourceName: p.resourceID ?? "",
          start,
          end,
        })?.[0];
        return typeof v === "number" ? v : undefined;
      },
    });
  }

  get site(): Plant {
    return this.opts.site;
  }

  get venID(): string {
    return this.venSession?.venID ?? "";
  }

  /** Simulated time the site has reached. */
  get now(): Date {
    return new Date(this.time);
  }

  private get stepMs(): number {
    return this.opts.stepMs ?? 60_000;
  }

  /** Registers over 2.0b and starts the poll loop (or the push receiver). */
  async start(): Promise<string> {
    this.time = Math.floor(this.opts.clock.now().getTime() / this.stepMs) * this.stepMs;
    let address: string | undefined;
    if (this.opts.push) {
      this.receiver = new Oadr2bPushReceiver({
        ...this.opts.push,
        vtnCertificate: this.opts.vtn.vtnCertificate,
        onError: this.opts.onError,
      });
      address = await this.receiver.listen();
    }
    this.venSession = this.session(address);
    this.receiver?.attach(this.venSession);
    await this.venSession.start();
    return this.mode;
  }

  async stop(): Promise<void> {
    await this.busy;
    await this.venSession?.stop();
    await this.receiver?.close();
  }

  private timelineAt(t: number): EventTimeline {
    const tl = this.timeline;
    if (!tl || this.timelineRevision !== this.ven.revision || t + 24 * H > tl.to || t < tl.from) {
      this.timelineRevision = this.ven.revision;
      this.timeline = new EventTimeline(this.ven.events(), new Date(t), new Date(t + 26 * H), {
        randomize: (e: Event) => this.randomize(e),
      });
      this.cost = costOutlook(this.timeline, new Date(t), new Date(t + 26 * H)) ?? null;
    }
    return this.timeline as EventTimeline;
  }

  /** Steps the site up to `simNow`, opts out where it cannot comply, sends due reports. One call at a time. */
  advanceTo(simNow: Date): Promise<void> {
    const run = this.busy.then(() => this.advance(simNow.getTime()));
    this.busy = run.catch(() => {});
    return run;
  }

  private async advance(target: number): Promise<void> {
    const dtH = this.stepMs / H;
    const cannot = new Set<string>();
    while (this.time + this.stepMs <= target) {
      const t = new Date(this.time);
      const tl = this.timelineAt(this.time);
      const d = directiveAt(tl, t, 24 * H, this.cost);
      const r = this.opts.site.step(t, dtH, d);
      this.stats.steps++;
      if (r.violationKw > 1e-6) this.stats.violations++;
      if (r.violationKw > (this.opts.optOutKw ?? 0.5)) for (const s of tl.inForce(t).values()) cannot.add(s.eventID);
      this.opts.onStep?.(r, d);
      this.time += this.stepMs;
    }
    for (const eventID of cannot) await this.optOut(eventID);
    try {
      this.stats.reportsSent += await this.ven.sendDueReports(new Date(this.time));
    } catch (err) {
      this.stats.reportErrors++;
      this.opts.onError?.(err as Error);
    }
  }

  private optedOutOfHeldEvent(): boolean {
    for (const key of this.optedOut) if (this.venSession?.event(key.slice(0, key.lastIndexOf("#")))) return true;
    return false;
  }

  /** oadrCreateOpt optOut for the event's current version, naming the site's resources. */
  private async optOut(eventID: string): Promise<void> {
    const version = this.ven.oadrEvents().find((e) => e.eventID === eventID)?.modificationNumber;
    const key = `${eventID}#${version}`;
    if (version === undefined || this.optedOut.has(key)) return;
    this.optedOut.add(key);
    try {
      await this.ven.optOut(eventID, { resourceIDs: this.opts.site.resourceNames, reason: "notParticipating" });
      this.stats.optOuts++;
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
  }

  /** One line of what the site does now (the 3.1 runner's status line, with opt-outs). */
  statusLine(netKw: number, inForce: readonly string[]): string {
    const s = this.stats;
    const hhmm = this.now.toISOString().slice(11, 16);
    return `${hhmm}Z  ${this.site.name}  net ${netKw.toFixed(2)} kW  signals [${inForce.join(" ") || "none"}]  reports ${s.reportsSent}${s.reportErrors ? ` (${s.reportErrors} failed)` : ""}  opt-outs ${s.optOuts}  intake ${this.mode}`;
  }

  summaryLine(wallMs: number, errors: number): string {
    const s = this.stats;
    return `${this.site.name}: ${s.steps} steps up to ${this.now.toISOString().slice(11, 16)}Z in ${Math.round(wallMs / 1000)} s; reports ${s.reportsSent} sent, ${s.reportErrors} failed; ${s.violations} steps over a limit; ${s.optOuts} opt-outs; ${errors} errors`;
  }
}
