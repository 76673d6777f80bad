// The node as an OpenADR 2.0b VEN of its upstream (config upstream.profile "2.0b"), through the
// SDK's 2.0b session (@gridlink/ven/oadr2b): registration (oadrCreatePartyRegistration), the
// virtual resource's METADATA reports (usage, demand, status of one resource: the fleet), events by
// oadrPoll, each answered with oadrCreatedEvent optIn, and the data the VTN asks for
// (oadrUpdateReport) read from the fleet (fleet-source.ts). The same split and aggregation as over
// 3.1 (node.ts): the session hands the upstream events over as 3.1 Events.
// Opt-outs upward: when every member has opted out of what the node wrote for an event, the node
// itself opts out of it upstream with oadrCreateOpt (DIGEST-openadr.md 2.3 EiOpt), once.
// 2.0b has no programs (the events' marketContext stands for one) and no resource attributes:
// declareCapability has nothing to send.
import { type Clock, siteMetadata } from "@gridlink/cems";
import type { EventPayloadDescriptor, Program, ValuesMap } from "@gridlink/model";
import { AGGREGATED_REPORT, type KnownEvent } from "@gridlink/ven";
import { Oadr2bVen } from "@gridlink/ven/oadr2b";
import type { NodeConfig } from "./config.ts";
import type { FleetSource } from "./fleet-source.ts";
import type { ReportReadiness, Upstream } from "./upstream.ts";

export interface Upstream2bOptions {
  config: NodeConfig["upstream"];
  clock: Clock;
  onEvents: () => void;
  onError: (e: Error) => void;
}

export class Upstream2bLink implements Upstream {
  readonly ven: Oadr2bVen;
  reportsSent = 0;
  private started = false;
  private source: FleetSource | undefined;
  /** Events the node opted out of upstream (oadrCreateOpt sent). */
  readonly optedOut = new Set<string>();

  constructor(private readonly opts: Upstream2bOptions) {
    const c = opts.config;
    this.ven = new Oadr2bVen({
      url: c.url,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      venName: c.venName,
      pollMs: c.intake.pollSeconds * 1000,
      clock: () => opts.clock.now(),
      reports: siteMetadata([c.resourceName]),
      read: (point, start, end) => {
        if (point.reportType === "x-resourceStatus") return { online: true, manualOverride: false };
        const q =
          point.reportType === "usage"
            ? { payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH" }
            : point.reportType === "demand"
              ? { payloadType: "DEMAND", readingType: "MEAN", units: "KW" }
              : undefined;
        if (!q || !this.source) return undefined;
        const v = this.source.read({ ...q, resourceName: AGGREGATED_REPORT, start, end })?.[0];
        return typeof v === "number" ? v : undefined;
      },
      onEvents: () => opts.onEvents(),
      onError: opts.onError,
    });
  }

  get url(): string {
    return this.opts.config.url;
  }

  get mode(): string {
    return "2.0b poll";
  }

  get synced(): boolean {
    return this.started;
  }

  async start(_capability: ValuesMap[]): Promise<void> {
    await this.ven.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    await this.ven.stop();
  }

  async sync(): Promise<void> {
    await this.ven.pollNow();
  }

  async declareCapability(_capability: ValuesMap[]): Promise<void> {}

  events(): KnownEvent[] {
    return this.ven.events();
  }

  program(_id: string): Program | undefined {
    return undefined;
  }

  programDescriptors(_programID: string): EventPayloadDescriptor[] | undefined {
    return undefined;
  }

  /**
   * oadrUpdateReport for the requests due `graceMs` ago (the members' reports for those
   * intervals are in by then); then the node's own opt-outs.
   */
  async sendDue(now: Date, source: FleetSource, readiness: ReportReadiness): Promise<void> {
    this.source = source;
    try {
      this.reportsSent += await this.ven.sendDueReports(new Date(now.getTime() - readiness.graceMs));
    } catch (err) {
      this.opts.onError(err as Error);
    }
    for (const { event } of this.events()) {
      if (this.optedOut.has(event.id) || !readiness.allOptedOut(event.id, now.getTime())) continue;
      try {
        await this.ven.optOut(event.id, { reason: "notParticipating" });
        this.optedOut.add(event.id);
      } catch (err) {
        this.opts.onError(err as Error);
      }
    }
  }
}
