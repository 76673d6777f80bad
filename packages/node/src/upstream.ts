// The node as a VEN of its upstream VTN (OpenADR 3.1, through the SDK): its ven with one virtual
// resource, the upstream events it follows (intake by MQTT, webhook or polling, ven/intake.ts),
// and the reports those events ask for, answered from the fleet (fleet-source.ts) once every
// online member has reported the interval or the grace time has passed.
import type { Clock } from "@gridlink/cems";
import type { Event, EventPayloadDescriptor, Program, Report, ValuesMap } from "@gridlink/model";
import {
  appliesTo,
  buildReport,
  EventMirror,
  groupWindows,
  type KnownEvent,
  type MirrorChange,
  NotificationIntake,
  ReportScheduler,
  type ReportWindow,
  seededRandomize,
  VenClient,
} from "@gridlink/ven";
import type { NodeConfig } from "./config.ts";
import type { FleetSource } from "./fleet-source.ts";

export interface UpstreamOptions {
  config: NodeConfig["upstream"];
  clock: Clock;
  onChange: (c: MirrorChange) => void;
  onError: (e: Error) => void;
}

export interface ReportReadiness {
  /** Whether the window can be answered now (every online member reported it). */
  ready(w: ReportWindow): boolean;
  graceMs: number;
  /**
   * The resource names a descriptor that asks for no aggregate is answered for (one per member,
   * fleet-source.ts); the virtual resource alone when this gives none.
   */
  memberResources(): string[];
  /** Whether every member is opted out of (what the node wrote for) upstream event `id` at `at`. */
  allOptedOut(id: string, at: number): boolean;
}

/** What the node needs of its upstream link, whichever profile it speaks (3.1 here, 2.0b in upstream2b.ts). */
export interface Upstream {
  readonly url: string;
  /** How notifications arrive from upstream (mqtt, webhook, poll, 2.0b poll). */
  readonly mode: string;
  /** Whether the upstream's view has been read at least once (before that, absence means nothing). */
  readonly synced: boolean;
  reportsSent: number;
  start(capability: ValuesMap[]): Promise<void>;
  stop(): Promise<void>;
  sync(): Promise<void>;
  declareCapability(capability: ValuesMap[]): Promise<void>;
  /** The upstream events that concern the node. */
  events(): KnownEvent[];
  program(id: string): Program | undefined;
  programDescriptors(programID: string): EventPayloadDescriptor[] | undefined;
  /** Sends the reports due by `now` that are ready (or past their grace); the rest wait. */
  sendDue(now: Date, source: FleetSource, readiness: ReportReadiness): Promise<void>;
}

export class UpstreamLink implements Upstream {
  readonly client: VenClient;
  readonly mirror: EventMirror;
  venID = "";
  resourceID = "";
  private venTargets: string[] = [];
  private resourceTargets: string[] = [];
  private intake: NotificationIntake | undefined;
  private readonly scheduler = new ReportScheduler();
  private pending: ReportWindow[] = [];
  /** eventID|interval start|payload type already reported upstream (read back at start: a restart sends nothing twice). */
  private readonly sent = new Set<string>();
  private readonly randomize: ReturnType<typeof seededRandomize>;
  reportsSent = 0;

  constructor(private readonly opts: UpstreamOptions) {
    const c = opts.config;
    this.client = new VenClient({ baseUrl: c.url, clientId: c.clientId, clientSecret: c.clientSecret, retries: 4 });
    this.mirror = new EventMirror(this.client, { now: () => opts.clock.now(), onChange: opts.onChange });
    this.randomize = seededRandomize(c.venName);
  }

  get url(): string {
    return this.opts.config.url;
  }

  /** Registers the ven and its virtual resource (found by name, or created), then follows events. */
  async start(capability: ValuesMap[]): Promise<void> {
    const c = this.opts.config;
    const ven =
      (await this.client.vens.all()).find((v) => v.venName === c.venName) ??
      (await this.client.vens.create({ venName: c.venName }));
    this.venID = ven.id;
    this.venTargets = ven.targets ?? [];
    const resources = await this.client.resources.all({ venID: ven.id });
    let vr = resources.find((r) => r.resourceName === c.resourceName);
    vr ??= await this.client.resources.create({ resourceName: c.resourceName, venID: ven.id, attributes: capability });
    this.resourceID = vr.id;
    this.resourceTargets = vr.targets ?? [];
    this.intake = new NotificationIntake({
      client: this.client,
      mirror: this.mirror,
      venID: ven.id,
      clientName: c.venName,
      mqtt: c.intake.mode === "auto",
      pollMs: c.intake.pollSeconds * 1000,
      onError: this.opts.onError,
    });
    for (const r of await this.client.reports.all()) this.noteSent(r);
    await this.intake.start();
  }

  private noteSent(r: Pick<Report, "eventID" | "resources">): void {
    for (const res of r.resources)
      for (const iv of res.intervals)
        for (const p of iv.payloads)
          if (p.type !== "DATA_QUALITY" && iv.intervalPeriod?.start)
            this.sent.add(`${r.eventID}|${Date.parse(iv.intervalPeriod.start)}|${p.type}`);
  }

  private alreadySent(w: ReportWindow): boolean {
    return w.intervals.every((i) => this.sent.has(`${w.eventID}|${i.start.getTime()}|${w.descriptor.payloadType}`));
  }

  /** How notifications arrive from upstream (mqtt, webhook, poll). */
  get mode(): string {
    return this.intake?.mode ?? "poll";
  }

  async stop(): Promise<void> {
    await this.intake?.stop();
  }

  /** States the virtual resource's capability again (the sum of the fleet's, docs/node.md). */
  async declareCapability(capability: ValuesMap[]): Promise<void> {
    const c = this.opts.config;
    await this.client.resources.update(this.resourceID, {
      resourceName: c.resourceName,
      venID: this.venID,
      attributes: capability,
    });
  }

  /** Re-reads events and the targets BL granted the node upstream. */
  async sync(): Promise<void> {
    await (this.intake?.resync() ?? this.mirror.resync());
    const ven = await this.client.vens.get(this.venID);
    this.venTargets = ven.targets ?? [];
    const vr = (await this.client.resources.all({ venID: this.venID })).find((r) => r.id === this.resourceID);
    this.resourceTargets = vr?.targets ?? [];
  }

  /** Whether the upstream's view has been read at least once (before that, absence means nothing). */
  get synced(): boolean {
    return this.mirror.resyncs > 0;
  }

  applies = (e: Event): boolean =>
    appliesTo(e.targets, { venTargets: this.venTargets, resourceTargets: this.resourceTargets });

  /** The upstream events that concern the node. */
  events(): KnownEvent[] {
    return this.mirror.events().filter((k) => this.applies(k.event));
  }

  program(id: string): Program | undefined {
    return this.mirror.program(id);
  }

  programDescriptors(programID: string): EventPayloadDescriptor[] | undefined {
    return this.mirror
      .program(programID)
      ?.payloadDescriptors?.filter((x): x is EventPayloadDescriptor => x.objectType !== "REPORT_PAYLOAD_DESCRIPTOR");
  }

  /** AGGREGATED_REPORT of the virtual resource, or one resource per member (docs/node.md). */
  private resourcesFor(w: ReportWindow, readiness: ReportReadiness): { resourceName: string; targets: string[] }[] {
    const names = w.descriptor.aggregate ? [] : readiness.memberResources();
    const all = names.length > 0 ? names : [this.opts.config.resourceName];
    return all.map((resourceName) => ({ resourceName, targets: this.resourceTargets }));
  }

  /** Sends the reports due by `now` that are ready (or past their grace); the rest wait. */
  async sendDue(now: Date, source: FleetSource, readiness: ReportReadiness): Promise<void> {
    const known = this.mirror.events();
    const ids = new Set(known.map((k) => k.event.id));
    for (const e of this.scheduler.events()) if (!ids.has(e.id)) this.scheduler.untrack(e.id);
    for (const { event, receivedAt } of known)
      if (event.reportDescriptors?.length && this.applies(event))
        this.scheduler.track(event, receivedAt, this.randomize(event));
    this.pending.push(...this.scheduler.due(now).filter((w) => !this.alreadySent(w)));
    this.pending = this.pending.filter((w) => ids.has(w.eventID));
    const go = this.pending.filter((w) => readiness.ready(w) || now.getTime() >= w.dueAt.getTime() + readiness.graceMs);
    if (go.length === 0) return;
    this.pending = this.pending.filter((w) => !go.includes(w));
    const c = this.opts.config;
    for (const group of groupWindows(go)) {
      const event = this.mirror.event(group[0].eventID)?.event;
      if (!event) continue;
      source.estimated.clear();
      const body = source.mark(
        buildReport(event, group, {
          clientName: c.venName,
          resources: this.resourcesFor(group[0], readiness),
          source,
          reportName: `${c.venName} ${event.eventName ?? event.id} #${group[0].seq}`,
        }),
      );
      try {
        await this.client.reports.create(body);
        this.noteSent(body);
        this.reportsSent++;
      } catch (err) {
        this.opts.onError(err as Error);
      }
    }
  }
}
