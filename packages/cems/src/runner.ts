// A site as a VEN: it registers its ven and resources with the VTN, follows events through the
// SDK's intake (MQTT, webhook or polling), steps the simulation under what is in force, and sends
// the reports the events ask for. Simulated time comes from a Clock; advanceTo() moves it.
import type { Event, EventPayloadDescriptor, ReportRequest } from "@gridlink/model";
import {
  appliesTo,
  buildReport,
  EventMirror,
  EventTimeline,
  groupWindows,
  type IntakeMode,
  type IntakeOptions,
  NotificationIntake,
  ReportScheduler,
  type ReportWindow,
  seededRandomize,
  type VenClient,
} from "@gridlink/ven";
import type { Clock } from "./clock.ts";
import type { Plant, PlantStep } from "./plant.ts";
import { costOutlook, type Directive, directiveAt } from "./strategies/directive.ts";

export interface RunnerOptions {
  /** A site, or a virtual resource of several sites. */
  site: Plant;
  client: VenClient;
  clock: Clock;
  /** The ven object to use: found by name among the client's own, or created. */
  venName: string;
  /** clientName in reports (default venName). */
  clientName?: string;
  /** Simulation step (default 60 s of simulated time). */
  stepMs?: number;
  intake?: Omit<IntakeOptions, "client" | "mirror" | "venID" | "clientName">;
  /** Create the site's resources on the VTN when missing (default true). */
  register?: boolean;
  /** How often the targets BL granted the ven and its resources are read again (default 5 min of wall time). */
  targetsRefreshMs?: number;
  onError?: (err: Error) => void;
  /** Called after every simulated step. */
  onStep?: (r: PlantStep, d: Directive) => void;
  /**
   * Spreads the site's report sends over this share (0..1) of the reported interval after it is
   * due, at an offset fixed per venName (default 0: at once). Thousands of sites reporting the
   * same 1-minute interval otherwise all POST in the same second. The spec sets no instant for a
   * report: a reportDescriptor names the interval to report on (`startInterval`) and how many
   * intervals elapse between reports (`frequency`, Definition.md reportDescriptor); a report sent
   * within the interval after the one it covers still arrives before the next is due.
   */
  spreadReports?: number;
  /**
   * Called after each report sent (or failed): when it was due, when the spread put it
   * (`plannedAt`, dueAt without spreading) and when it went, in simulated time.
   */
  onReport?: (r: { eventID: string; dueAt: Date; plannedAt: Date; sentAt: Date; ok: boolean }) => void;
}

/** A stable share in [0, 1) from a name (FNV-1a, then a 32-bit avalanche): the site's place in the spread. */
export function spreadShare(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

export interface RunnerStats {
  steps: number;
  reportsSent: number;
  reportErrors: number;
  /**
   * Reports not sent because the site had no value for any interval (every one DATA_QUALITY
   * MISSING): the windows a restarted site catches up on ('do it now', User_Guide.md §7.5) lie
   * before its telemetry begins, and sending them on every restart tells the VTN nothing.
   */
  reportsSkipped: number;
  /** Steps that could not keep the net inside the required range. */
  violations: number;
}

const H = 3_600_000;

export class SiteRunner {
  venID = "";
  venTargets: string[] = [];
  mode: IntakeMode = "poll";
  readonly stats: RunnerStats = { steps: 0, reportsSent: 0, reportErrors: 0, reportsSkipped: 0, violations: 0 };
  readonly mirror: EventMirror;
  private intake: NotificationIntake | undefined;
  private readonly scheduler = new ReportScheduler();
  private readonly resourceTargets = new Map<string, string[]>();
  private time = 0;
  private timeline: EventTimeline | undefined;
  private timelineRevision = -1;
  private cost: Directive["cost"] | null = null;
  private readonly randomize: (e: Event) => ReturnType<ReturnType<typeof seededRandomize>>;
  private busy: Promise<void> = Promise.resolve();
  /** Windows due whose send the spread puts later (spreadReports), with when to send them (ms). */
  private held: { w: ReportWindow; at: number }[] = [];
  private targetsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: RunnerOptions) {
    this.mirror = new EventMirror(opts.client, { now: () => opts.clock.now() });
    this.randomize = seededRandomize(opts.venName);
  }

  get site(): Plant {
    return this.opts.site;
  }

  private get stepMs(): number {
    return this.opts.stepMs ?? 60_000;
  }

  /** Simulated time the site has reached. */
  get now(): Date {
    return new Date(this.time);
  }

  async start(): Promise<IntakeMode> {
    const { client, venName } = this.opts;
    const own = (await client.vens.all()).find((v) => v.venName === venName) ?? (await client.vens.create({ venName }));
    this.venID = own.id;
    this.venTargets = own.targets ?? [];
    const existing = await client.resources.all({ venID: own.id });
    for (const name of this.opts.site.resourceNames) {
      let vr = existing.find((x) => x.resourceName === name);
      if (!vr && this.opts.register !== false)
        vr = await client.resources.create({ resourceName: name, venID: own.id });
      this.resourceTargets.set(name, vr?.targets ?? []);
    }
    this.intake = new NotificationIntake({
      ...this.opts.intake,
      client,
      mirror: this.mirror,
      venID: own.id,
      clientName: this.opts.clientName ?? venName,
      onError: this.opts.onError ?? this.opts.intake?.onError,
    });
    this.time = Math.floor(this.opts.clock.now().getTime() / this.stepMs) * this.stepMs;
    this.mode = await this.intake.start();
    this.targetsTimer = setInterval(
      () => void this.refreshTargets().catch((e: Error) => this.opts.onError?.(e)),
      this.opts.targetsRefreshMs ?? 300_000,
    );
    this.targetsTimer.unref?.();
    return this.mode;
  }

  /** Reads again the targets BL granted (they decide which events apply); rebuilds the timeline if they changed. */
  async refreshTargets(): Promise<void> {
    const ven = await this.opts.client.vens.get(this.venID);
    const resources = await this.opts.client.resources.all({ venID: this.venID });
    const before = JSON.stringify([this.venTargets, [...this.resourceTargets]]);
    this.venTargets = ven.targets ?? [];
    for (const r of resources)
      if (this.resourceTargets.has(r.resourceName)) this.resourceTargets.set(r.resourceName, r.targets ?? []);
    if (JSON.stringify([this.venTargets, [...this.resourceTargets]]) !== before) this.timelineRevision = -1;
  }

  /** Re-reads programs, events and granted targets over REST now. */
  async sync(): Promise<void> {
    await Promise.all([this.intake?.resync() ?? this.mirror.resync(), this.refreshTargets()]);
  }

  async stop(): Promise<void> {
    clearInterval(this.targetsTimer);
    await this.busy;
    await this.intake?.stop();
  }

  /** Does this event concern the site (its ven, or any of its resources)? */
  private applies = (e: Event): boolean =>
    appliesTo(e.targets, { venTargets: this.venTargets, resourceTargets: [...this.resourceTargets.values()].flat() });

  private timelineAt(t: number): EventTimeline {
    const tl = this.timeline;
    if (!tl || this.timelineRevision !== this.mirror.revision || t + 24 * H > tl.to || t < tl.from) {
      this.timelineRevision = this.mirror.revision;
      this.timeline = new EventTimeline(this.mirror.events(), new Date(t), new Date(t + 26 * H), {
        randomize: this.randomize,
        appliesTo: this.applies,
        // A program's descriptors mix event and report ones (openadr3.yaml programRequest).
        programDescriptors: (id) =>
          this.mirror
            .program(id)
            ?.payloadDescriptors?.filter(
              (x): x is EventPayloadDescriptor => x.objectType !== "REPORT_PAYLOAD_DESCRIPTOR",
            ),
      });
      this.cost = costOutlook(this.timeline, new Date(t), new Date(t + 26 * H)) ?? null;
    }
    return this.timeline as EventTimeline;
  }

  /** Steps the site up to `simNow` and sends the reports that are then due. One call at a time. */
  advanceTo(simNow: Date): Promise<void> {
    const run = this.busy.then(() => this.advance(simNow.getTime()));
    this.busy = run.catch(() => {});
    return run;
  }

  private async advance(target: number): Promise<void> {
    const dtH = this.stepMs / H;
    while (this.time + this.stepMs <= target) {
      const t = new Date(this.time);
      const d = directiveAt(this.timelineAt(this.time), t, 24 * H, this.cost);
      const r = this.opts.site.step(t, dtH, d);
      this.stats.steps++;
      if (r.violationKw > 1e-6) this.stats.violations++;
      this.opts.onStep?.(r, d);
      this.time += this.stepMs;
    }
    await this.sendDueReports(target);
  }

  /** When a window's report goes: at its due time, or later in the spread. */
  private sendAt(w: ReportWindow): number {
    const spread = Math.min(1, Math.max(0, this.opts.spreadReports ?? 0));
    const first = w.intervals[0];
    const len = first ? first.end.getTime() - first.start.getTime() : 0;
    return w.dueAt.getTime() + Math.floor(spreadShare(this.opts.venName) * spread * Math.max(0, len));
  }

  private async sendDueReports(now: number): Promise<void> {
    const known = this.mirror.events();
    const ids = new Set(known.map((k) => k.event.id));
    for (const e of this.scheduler.events()) if (!ids.has(e.id)) this.scheduler.untrack(e.id);
    for (const { event, receivedAt } of known) {
      if (event.reportDescriptors?.length && this.applies(event))
        this.scheduler.track(event, receivedAt, this.randomize(event));
    }
    // Data is complete up to the site's step time; the spread may hold a window until `now`.
    for (const w of this.scheduler.due(new Date(this.time))) this.held.push({ w, at: this.sendAt(w) });
    this.held = this.held.filter((h) => ids.has(h.w.eventID));
    const due = this.held.filter((h) => h.at <= now).map((h) => h.w);
    if (due.length === 0) return;
    this.held = this.held.filter((h) => h.at > now);
    const resources = this.opts.site.resourceNames.map((name) => ({
      resourceName: name,
      targets: this.resourceTargets.get(name),
    }));
    for (const group of groupWindows(due)) {
      const event = this.mirror.event(group[0].eventID)?.event;
      if (!event) continue;
      const body = buildReport(event, group, {
        clientName: this.opts.clientName ?? this.opts.venName,
        resources,
        source: this.opts.site.source,
        reportName: `${this.opts.venName} ${event.eventName ?? event.id} #${group[0].seq}`,
      });
      if (allMissing(body)) {
        this.stats.reportsSkipped++;
        continue;
      }
      let ok = true;
      try {
        await this.opts.client.reports.create(body);
        this.stats.reportsSent++;
      } catch (err) {
        ok = false;
        this.stats.reportErrors++;
        this.opts.onError?.(err as Error);
      }
      const dueAt = group[0].dueAt;
      const plannedAt = new Date(this.sendAt(group[0]));
      this.opts.onReport?.({ eventID: event.id, dueAt, plannedAt, sentAt: this.opts.clock.now(), ok });
    }
  }
}

/** Whether a report carries nothing but DATA_QUALITY MISSING (User_Guide.md §7.8). */
function allMissing(r: ReportRequest): boolean {
  return (r.resources ?? []).every((res) =>
    (res.intervals ?? []).every((i) => i.payloads.every((p) => p.type === "DATA_QUALITY" && p.values[0] === "MISSING")),
  );
}
