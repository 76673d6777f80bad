// A 2.0b VEN session (DIGEST-openadr.md 2.4, the standard sequences): registration, the VEN's
// METADATA reports, the poll loop (or the VTN's pushes, push.ts), events answered with
// oadrCreatedEvent, report requests fulfilled with oadrUpdateReport, opt-outs with oadrCreateOpt.
// Events are kept as 3.1 Events too (read-event.ts), for the SDK's EventTimeline.
import type { OadrEvent } from "@gridlink/model/oadr2b";
import { childrenOf, textOf, type XmlNode } from "@gridlink/model/xml";
import type { KnownEvent } from "../timeline.ts";
import { Oadr2bClient, type Oadr2bClientOptions } from "./client.ts";
import * as msg from "./messages.ts";
import { eventOf31, eventsOf } from "./read-event.ts";
import { collect, isDue, type PointReader, periodMs, type ReportRequest, requestsOf } from "./report-requests.ts";
import { type Message, node, type Service } from "./wire.ts";

export type OptType = "optIn" | "optOut";

export interface Oadr2bVenOptions extends Oadr2bClientOptions {
  venName: string;
  /** Pull (oadrPoll, the default) or push (the VTN POSTs to transportAddress; see Oadr2bPushReceiver). */
  pull?: boolean;
  transportAddress?: string;
  /** The VEN's METADATA reports (oadrRegisterReport after registering); none by default. */
  reports?: readonly msg.ReportMetadata[];
  /** Readings for oadrUpdateReport. */
  read?: PointReader;
  /** optIn or optOut for an event that asks for an answer (default optIn). */
  decide?: (event: OadrEvent) => OptType;
  /** Poll period; the VTN's oadrRequestedOadrPollFreq by default. */
  pollMs?: number;
  /** The clock of report intervals and received events (simulated time in a simulator). */
  clock?: () => Date;
  onError?: (err: Error) => void;
  /** Called whenever the set of events changes (a distribute with news, a cancel). */
  onEvents?: (events: readonly OadrEvent[]) => void;
}

interface Held {
  oadr: OadrEvent;
  known: KnownEvent;
  /** The modificationNumber the VEN answered (oadrCreatedEvent), if any. */
  answered?: number;
  optType?: OptType;
}

export class Oadr2bVen {
  readonly client: Oadr2bClient;
  venID = "";
  registrationID = "";
  vtnID = "";
  pollMs = 10_000;
  /** Bumped on every change of the events: consumers rebuild their timeline on a new revision. */
  revision = 0;
  readonly requests = new Map<string, ReportRequest>();
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(private readonly opts: Oadr2bVenOptions) {
    this.client = new Oadr2bClient(opts);
  }

  private get now(): Date {
    return this.opts.clock?.() ?? new Date();
  }

  private rid(): string {
    return this.client.newRequestId();
  }

  /** Events the VEN holds (not cancelled), as 3.1 Events with when they were received. */
  events(): KnownEvent[] {
    return [...this.held.values()].filter((h) => h.oadr.eventStatus !== "cancelled").map((h) => h.known);
  }

  /** One held event, unless it was cancelled (eventStatus "cancelled"). */
  event(id: string): KnownEvent | undefined {
    const h = this.held.get(id);
    return h && h.oadr.eventStatus !== "cancelled" ? h.known : undefined;
  }

  /** The events as the VTN sent them (2.0b form, with eventStatus and modificationNumber). */
  oadrEvents(): OadrEvent[] {
    return [...this.held.values()].map((h) => h.oadr);
  }

  /** 2.0b has no program objects: no program is ever known (the timeline's programDescriptors). */
  program(_id: string): undefined {
    return undefined;
  }

  /** How the VEN answered an event, if it did. */
  answerOf(eventID: string): OptType | undefined {
    return this.held.get(eventID)?.optType;
  }

  /** Registers (oadrQueryRegistration, oadrCreatePartyRegistration), registers reports, reads events, starts polling. */
  async start(): Promise<void> {
    await this.register();
    this.running = true;
    if (this.opts.pull !== false) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
    await this.client.close();
  }

  /** oadrQueryRegistration then oadrCreatePartyRegistration; then METADATA and the current events. */
  async register(): Promise<void> {
    const query = await this.client.send("EiRegisterParty", msg.queryRegistration(this.rid()));
    this.vtnID = textOf(query.body.vtnID) ?? "";
    const created = await this.client.send(
      "EiRegisterParty",
      msg.createPartyRegistration(this.rid(), {
        venName: this.opts.venName,
        pull: this.opts.pull !== false,
        transportAddress: this.opts.transportAddress,
        registrationID: this.registrationID || textOf(query.body.registrationID) || undefined,
        xmlSignature: this.client.signs,
      }),
    );
    this.venID = textOf(childrenOf(created.body, "venID")[0]) ?? "";
    this.registrationID = textOf(created.body.registrationID) ?? "";
    this.pollMs = this.opts.pollMs ?? periodMs(textOf(node(created.body.oadrRequestedOadrPollFreq).duration), 10_000);
    if (this.opts.reports?.length) {
      const registered = await this.client.send(
        "EiReport",
        msg.registerReport(this.rid(), this.venID, this.opts.reports, this.now),
      );
      await this.acceptRequests(registered.body);
    }
    const events = await this.client.send("EiEvent", msg.requestEvent(this.rid(), this.venID));
    await this.onDistribute(events);
  }

  /** oadrCancelPartyRegistration: the VEN leaves. */
  async cancelRegistration(): Promise<void> {
    await this.client.send("EiRegisterParty", msg.cancelPartyRegistration(this.rid(), this.registrationID, this.venID));
    this.registrationID = "";
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollNow()
        .then(() => undefined)
        .catch((e: Error) => this.opts.onError?.(e))
        .finally(() => this.schedule(this.pollMs));
    }, delay);
    this.timer.unref?.();
  }

  /** Polls until nothing is due (oadrResponse), handling every message; returns their names. */
  async pollNow(max = 20): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < max; i++) {
      const m = await this.client.send("OadrPoll", msg.poll(this.venID));
      names.push(m.name);
      if (m.name === "oadrResponse") break;
      await this.receive(m);
    }
    return names;
  }

  /**
   * Handles a message from the VTN (a poll's answer, or a push): its answer goes to the VTN as a
   * request of its own (oadrCreatedEvent, oadrRegisteredReport, oadrCreatedReport ...).
   */
  async receive(m: Message): Promise<void> {
    const requestID = textOf(m.body.requestID) ?? "";
    let answer: [Service, [string, XmlNode]];
    switch (m.name) {
      case "oadrDistributeEvent":
        return this.onDistribute(m);
      case "oadrRegisterReport":
        // The VTN's METADATA: this VEN asks for none of its reports.
        answer = ["EiReport", msg.registeredReport(requestID, this.venID)];
        break;
      case "oadrCreateReport":
        answer = ["EiReport", msg.createdReport(requestID, this.venID, this.addRequests(m.body))];
        break;
      case "oadrCancelReport": {
        for (const id of childrenOf(m.body, "reportRequestID")) this.requests.delete(textOf(id) ?? "");
        answer = ["EiReport", msg.canceledReport(requestID, this.venID, [...this.requests.keys()])];
        break;
      }
      case "oadrCancelPartyRegistration":
        answer = ["EiRegisterParty", msg.canceledPartyRegistration(requestID, this.registrationID, this.venID)];
        this.registrationID = "";
        break;
      case "oadrRequestReregistration":
        answer = ["EiRegisterParty", msg.response(requestID, this.venID)];
        break;
      default:
        return; // oadrResponse and the like: nothing to answer
    }
    // After its own cancel a VTN may have forgotten the VEN already and refuse the answer as
    // "not registered" (463): the answer was owed, the refusal changes nothing.
    const gone = m.name === "oadrCancelPartyRegistration" ? (code: number) => code === 463 : undefined;
    await this.client.send(answer[0], answer[1], gone);
    // The VTN forgot this VEN, or asks it to register again: it does (DIGEST-openadr.md 2.4 step 6).
    if (m.name === "oadrCancelPartyRegistration" || m.name === "oadrRequestReregistration") await this.register();
  }

  /** oadrRegisteredReport and oadrCreateReport carry oadrReportRequests: accept those the VEN can serve. */
  private async acceptRequests(body: XmlNode): Promise<void> {
    const accepted = this.addRequests(body);
    if (childrenOf(body, "oadrReportRequest").length === 0) return;
    await this.client.send("EiReport", msg.createdReport(this.rid(), this.venID, accepted));
  }

  /** Records the report requests of a message; returns the ids of all pending ones. */
  private addRequests(body: XmlNode): string[] {
    for (const r of requestsOf(body, this.opts.reports ?? [], this.now)) this.requests.set(r.reportRequestID, r);
    return [...this.requests.keys()];
  }

  private async onDistribute(m: Message): Promise<void> {
    const requestID = textOf(m.body.requestID) ?? "";
    const incoming = eventsOf(m.body);
    const seen = new Set(incoming.map((e) => e.eventID));
    let changed = false;
    // The list is complete (OpenADR 2.0b profile): an event missing from it is cancelled.
    for (const id of [...this.held.keys()])
      if (!seen.has(id)) {
        this.held.delete(id);
        changed = true;
      }
    const answers: msg.EventAnswer[] = [];
    for (const o of incoming) {
      const old = this.held.get(o.eventID);
      if (!old || old.oadr.modificationNumber !== o.modificationNumber || old.oadr.eventStatus !== o.eventStatus) {
        const isNewVersion = !old || old.oadr.modificationNumber !== o.modificationNumber;
        this.held.set(o.eventID, {
          oadr: o,
          known: isNewVersion ? { event: eventOf31(o), receivedAt: this.now } : old.known,
          answered: old?.answered,
          optType: old?.optType,
        });
        changed = true;
      }
      const h = this.held.get(o.eventID) as Held;
      if (o.responseRequired === "always" && h.answered !== o.modificationNumber && o.eventStatus !== "cancelled") {
        const optType = this.opts.decide?.(o) ?? "optIn";
        h.answered = o.modificationNumber;
        h.optType = optType;
        answers.push({ eventID: o.eventID, modificationNumber: o.modificationNumber, optType, requestID });
      }
    }
    if (changed) {
      this.revision++;
      this.opts.onEvents?.(this.oadrEvents());
    }
    if (answers.length > 0) await this.client.send("EiEvent", msg.createdEvent(this.venID, answers));
  }

  /**
   * oadrCreateOpt for one event: the VEN (or the named resources) will not follow it. Returns the
   * optID (for cancelOpt). DIGEST-openadr.md 2.3 EiOpt.
   */
  async optOut(
    eventID: string,
    opts: { resourceIDs?: readonly string[]; reason?: string; optType?: OptType } = {},
  ): Promise<string> {
    const h = this.held.get(eventID);
    const optID = `opt-${this.venID}-${eventID}-${++this.seq}`;
    await this.client.send(
      "EiOpt",
      msg.createOpt(
        this.rid(),
        this.venID,
        {
          optID,
          optType: opts.optType ?? "optOut",
          optReason: opts.reason ?? "notParticipating",
          eventID,
          modificationNumber: h?.oadr.modificationNumber ?? 0,
          resourceIDs: opts.resourceIDs ?? [],
        },
        this.now,
      ),
    );
    return optID;
  }

  async cancelOpt(optID: string): Promise<void> {
    await this.client.send("EiOpt", msg.cancelOpt(this.rid(), this.venID, optID));
  }

  /** Report requests whose next interval of data is complete and due by `now`. */
  dueReports(now = this.now): ReportRequest[] {
    return [...this.requests.values()].filter((r) => isDue(r, now));
  }

  /**
   * Sends oadrUpdateReport for every due report request: the intervals of its granularity from
   * where the last one stopped up to `now`, values from `read`. Returns how many reports went.
   */
  async sendDueReports(now = this.now): Promise<number> {
    const read = this.opts.read;
    if (!read) return 0;
    const reports = this.dueReports(now).map((r) => {
      const { intervals, until } = collect(r, now, read);
      r.sentUntil = until;
      if (r.backMs === 0) this.requests.delete(r.reportRequestID); // one-shot (reportBackDuration 0)
      return {
        eiReportID: `${r.reportRequestID}-${++this.seq}`,
        reportRequestID: r.reportRequestID,
        reportSpecifierID: r.reportSpecifierID,
        reportName: r.reportName,
        intervals,
      };
    });
    const withData = reports.filter((r) => r.intervals.length > 0);
    if (withData.length === 0) return 0;
    const reply = await this.client.send("EiReport", msg.updateReport(this.rid(), this.venID, withData, now));
    // The VTN may cancel requests in its oadrUpdatedReport (oadr_20b.xsd oadrUpdatedReportType).
    const cancel = node(reply.body.oadrCancelReport);
    for (const id of childrenOf(cancel, "reportRequestID")) this.requests.delete(textOf(id) ?? "");
    return withData.length;
  }
}
