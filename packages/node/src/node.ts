// A gridlink node (DESIGN.md "cems": hierarchical aggregation): one process that is a VEN towards
// its upstream VTN, with one virtual resource standing for its fleet, and a VTN towards its own
// members on the same core (createVtn). Downward, each upstream event becomes one event per
// member (derive.ts), written through core as the node's BL; upward, the members' reports become
// the reports the upstream events ask for (fleet-source.ts). The upstream → downstream mapping is
// the `gridlinkUpstream` field of the downstream events themselves, stored by the core, so a
// restarted node finds what it already wrote and writes no event twice.
import { type Clock, ScaledClock } from "@gridlink/cems";
import type { Event, Program, Report, ValuesMap } from "@gridlink/model";
import {
  createVtn,
  OADR31_PREFIX,
  type Principal,
  principalFor,
  ROLE_SCOPES,
  type Vtn,
  type VtnOptions,
} from "@gridlink/vtn";
import type { NodeConfig } from "./config.ts";
import { deriveEvents, sameEnough, type TracedEvent } from "./derive.ts";
import { everything, Fleet, type Member } from "./fleet.ts";
import { FleetSource } from "./fleet-source.ts";
import { MemberOpts } from "./opts.ts";
import { MemberReadings, quantityOf } from "./readings.ts";
import { type Upstream, UpstreamLink } from "./upstream.ts";
import { Upstream2bLink } from "./upstream2b.ts";

export interface NodeOptions {
  /** Simulated time for the node's decisions and reports (default: config.simulation). */
  clock?: Clock;
  vtn?: VtnOptions;
  onError?: (e: Error) => void;
}

type TracedProgram = Program & { gridlinkUpstream?: { vtn: string; programID: string }; gridlinkNode?: string };

const MIN = 60_000;
/** Resource attributes that add up over the fleet (Definition.md §Resource Attributes). */
const CAPABILITIES = ["MAX_POWER_CONSUMPTION", "MAX_POWER_EXPORT"];

export class GridlinkNode {
  readonly readings = new MemberReadings();
  /** The members' opt-outs of their downstream events (opts.ts). */
  readonly opts = new MemberOpts();
  /** upstream event id -> member ven name -> its downstream event id (kept by reconcile). */
  private readonly downstream = new Map<string, Map<string, string>>();
  private optsClient = "";
  readonly fleet: Fleet;
  readonly source: FleetSource;
  readonly upstream: Upstream;
  /** The node's own principal on its VTN: it writes the downstream events as BL. */
  readonly bl: Principal;
  /** Downstream writes done (created, updated, deleted), for status lines and tests. */
  readonly writes = { created: 0, updated: 0, deleted: 0 };
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private lastRound = "";
  private capability = "";
  private readonly clock: Clock;
  private readonly onError: (e: Error) => void;
  private unhook: () => void = () => {};

  private constructor(
    readonly config: NodeConfig,
    readonly vtn: Vtn,
    opts: NodeOptions,
  ) {
    this.clock = opts.clock ?? new ScaledClock(config.simulation.start, config.simulation.speed);
    this.onError = opts.onError ?? ((e) => vtn.app.log.warn({ err: e.message }, "node"));
    this.bl = principalFor("bl", `node:${config.name}`);
    this.fleet = new Fleet(vtn.core, this.bl, this.readings, {
      offlineAfterMs: config.members.offlineAfterMinutes * MIN,
      costs: config.split.costs,
    });
    this.source = new FleetSource(
      this.readings,
      () => this.fleet.members,
      config.upstream.resourceName,
      (up, m, at) => this.optedOut(up, m, at),
    );
    this.upstream =
      config.upstream.profile === "2.0b"
        ? new Upstream2bLink({
            config: config.upstream,
            clock: this.clock,
            onEvents: () => void this.kick(),
            onError: this.onError,
          })
        : new UpstreamLink({
            config: config.upstream,
            clock: this.clock,
            onChange: (c) => {
              if (c.kind === "EVENT") void this.kick();
            },
            onError: this.onError,
          });
  }

  /** Starts the node's VTN, takes in what members reported so far, registers upstream and catches up. */
  static async start(config: NodeConfig, opts: NodeOptions = {}): Promise<GridlinkNode> {
    const vtn = await createVtn(config.vtn, opts.vtn);
    await vtn.listen();
    const node = new GridlinkNode(config, vtn, opts);
    try {
      await node.open();
    } catch (err) {
      await node.stop();
      throw err;
    }
    return node;
  }

  /** The node's own VTN (OpenADR 3.1.0 base URL) that its members talk to. */
  get url(): string {
    return this.vtn.url;
  }

  private async open(): Promise<void> {
    const core = this.vtn.core;
    // Member reports: the stored ones now, each new one as its write commits.
    this.unhook = this.vtn.store.afterCommit((changes) => {
      for (const c of changes)
        if (c.kind === "REPORT") {
          if (c.operation === "DELETE") {
            this.readings.remove((c.object as Report).id);
            this.opts.remove((c.object as Report).id);
          } else {
            this.readings.ingest(c.object as Report);
            this.opts.ingest(c.object as Report);
          }
        }
    });
    for (const r of await everything((page) => core.reports.list(this.bl, page))) {
      this.readings.ingest(r);
      this.opts.ingest(r);
    }
    await this.fleet.refresh(this.clock.now().getTime());
    await this.ensureTelemetry();
    await this.upstream.start(await this.fleetCapability());
    await this.kick();
  }

  async stop(): Promise<void> {
    await this.chain;
    this.unhook();
    await this.upstream.stop();
    await this.vtn.close();
  }

  /** Runs `fn` after everything queued before it (one reconcile or report round at a time). */
  private run(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn).catch((err: Error) => this.onError(err));
    this.chain = next;
    return next;
  }

  /** Reconciles the downstream events soon; a change arriving while one is queued rides along with it. */
  private kick(): Promise<void> {
    if (this.queued) return this.chain;
    this.queued = true;
    return this.run(async () => {
      this.queued = false;
      await this.reconcile();
    });
  }

  /** Re-reads upstream and reconciles now. */
  async sync(): Promise<void> {
    await this.upstream.sync();
    await this.kick();
  }

  /**
   * Moves the node to `simNow`: a member that fell silent or came back, or a new telemetry
   * interval, re-splits the bounds; then the upstream reports due are sent.
   */
  advanceTo(simNow: Date): Promise<void> {
    return this.run(async () => {
      const now = simNow.getTime();
      this.readings.prune(now);
      await this.fleet.refresh(now);
      const round = [
        Math.floor(now / (this.config.members.telemetryMinutes * MIN)),
        ...this.fleet.members.map((m) => `${m.venName}:${this.fleet.online(m, now)}`),
      ].join(" ");
      if (round !== this.lastRound) {
        this.lastRound = round;
        await this.reconcile();
        await this.declareCapability();
      }
      await this.upstream.sendDue(simNow, this.source, {
        graceMs: this.config.members.reportGraceMinutes * MIN,
        memberResources: () => this.fleet.members.map((m) => this.source.memberResource(m)),
        allOptedOut: (id, at) => {
          const ms = this.fleet.members.filter((m) => this.fleet.online(m, now));
          return ms.length > 0 && ms.every((m) => this.optedOut(id, m, at));
        },
        ready: (w) => {
          const type = quantityOf(w.descriptor.payloadType) ? w.descriptor.payloadType : "DEMAND";
          return w.intervals.every((i) =>
            this.source.complete(type, i.start.getTime(), i.end.getTime(), (m) => this.fleet.online(m, now)),
          );
        },
      });
    });
  }

  /** The downstream events derived from an upstream event (what the API shows, traced). */
  async downstreamOf(upstreamEventID: string): Promise<TracedEvent[]> {
    const all = (await everything((page) => this.vtn.core.events.list(this.bl, page))) as TracedEvent[];
    return all.filter((e) => e.gridlinkUpstream?.eventID === upstreamEventID);
  }

  /** The report-only event asking every member for its net demand and baseline (the flexibility estimate). */
  private async ensureTelemetry(): Promise<void> {
    const core = this.vtn.core;
    const programs = (await everything((page) => core.programs.list(this.bl, page))) as TracedProgram[];
    let program = programs.find((p) => p.gridlinkNode === "telemetry");
    program ??= await core.programs.create(this.bl, {
      programName: `${this.config.name} member telemetry`,
      gridlinkNode: "telemetry",
    } as never);
    const events = await everything((page) => core.events.list(this.bl, { ...page, programID: program.id }));
    if (events.length > 0) return;
    const every = this.config.members.telemetryMinutes;
    const day = Math.floor(this.clock.now().getTime() / 86_400_000) * 86_400_000;
    const descriptor = (payloadType: string) => ({
      payloadType,
      readingType: "MEAN",
      units: "KW",
      aggregate: true,
      startInterval: 0,
      numIntervals: 1,
      frequency: 1,
      repeat: -1,
    });
    await core.events.create(this.bl, {
      programID: program.id,
      eventName: "member telemetry",
      duration: "P9999Y",
      intervalPeriod: { start: new Date(day).toISOString(), duration: `PT${every}M` },
      intervals: [],
      reportDescriptors: [descriptor("DEMAND"), descriptor("BASELINE")],
    });
  }

  /** The downstream program standing for an upstream one (found by its trace, or created). */
  private async programFor(upstreamProgramID: string, known: TracedProgram[]): Promise<string> {
    const hit = known.find((p) => p.gridlinkUpstream?.programID === upstreamProgramID);
    if (hit) return hit.id;
    const up = this.upstream.program(upstreamProgramID);
    const base = up?.programName ?? upstreamProgramID;
    const names = new Set(known.map((p) => p.programName));
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base} (${i})`;
    const created = (await this.vtn.core.programs.create(this.bl, {
      programName: name,
      ...(up?.payloadDescriptors ? { payloadDescriptors: up.payloadDescriptors } : {}),
      ...(up?.intervalPeriod ? { intervalPeriod: up.intervalPeriod } : {}),
      gridlinkUpstream: { vtn: this.upstream.url, programID: upstreamProgramID },
    } as never)) as TracedProgram;
    known.push(created);
    return created.id;
  }

  /**
   * Makes the downstream events say what the upstream events and the members' state ask for:
   * creates what is missing, rewrites what changed (all members of an event together, so the
   * shares keep adding up to the bound), deletes what upstream cancelled.
   */
  private async reconcile(): Promise<void> {
    const core = this.vtn.core;
    const now = this.clock.now();
    await this.fleet.refresh(now.getTime());
    const shares = this.fleet.shares(now.getTime());
    const members = new Map(this.fleet.members.map((m) => [m.venName, m]));
    const existing = (await everything((page) => core.events.list(this.bl, page))) as TracedEvent[];
    const byUpstream = new Map<string, Map<string, TracedEvent[]>>();
    for (const e of existing) {
      const t = e.gridlinkUpstream;
      if (!t) continue;
      const m = byUpstream.get(t.eventID) ?? new Map<string, TracedEvent[]>();
      m.set(t.member, [...(m.get(t.member) ?? []), e]);
      byUpstream.set(t.eventID, m);
    }
    const programs = (await everything((page) => core.programs.list(this.bl, page))) as TracedProgram[];
    const live = new Set<string>();
    // Only the downstream events of upstream events still in force are split again: the opts of
    // the others (cancelled upstream, about to be removed) are not read.
    const inForce = new Set(this.upstream.events().map(({ event }) => event.id));
    await this.readOpts2b(
      [...byUpstream]
        .filter(([id]) => inForce.has(id))
        .flatMap(([, m]) => [...m.values()].flatMap((es) => es.map((e) => e.id))),
    );
    this.downstream.clear();
    for (const [id, m] of byUpstream) this.downstream.set(id, new Map([...m].map(([name, es]) => [name, es[0].id])));
    for (const { event: up, receivedAt } of this.upstream.events()) {
      live.add(up.id);
      const have = byUpstream.get(up.id) ?? new Map<string, TracedEvent[]>();
      // A member opted out of this event draws what it would (its preferred point, fixed): the
      // others take over the rest of the bound.
      const at = now.getTime();
      const forEvent = shares.map((sh) => {
        const m = members.get(sh.venName);
        if (!m || !this.optedOut(up.id, m, at)) return sh;
        const p = sh.flex.preferred;
        return { ...sh, flex: { min: p, max: p, preferred: p } };
      });
      const wants = deriveEvents({
        upstream: up,
        upstreamUrl: this.upstream.url,
        programDescriptors: this.upstream.programDescriptors(up.programID),
        programID: await this.programFor(up.programID, programs),
        members: forEvent,
        policy: this.config.split.policy,
        now,
        receivedAt,
        existing: new Map([...have].map(([k, v]) => [k, v[0]])),
      });
      const settled = [...wants].every(([name, w]) => {
        const h = have.get(name)?.[0];
        return h !== undefined && sameEnough(h, w);
      });
      for (const [name, want] of wants) {
        const [first, ...extra] = have.get(name) ?? [];
        if (!first) {
          const made = await core.events.create(this.bl, want);
          this.writes.created++;
          const m = this.downstream.get(up.id) ?? new Map<string, string>();
          m.set(name, made.id);
          this.downstream.set(up.id, m);
        } else if (!settled && !sameEnough(first, want, 0, 1e-9)) {
          await core.events.update(this.bl, first.id, want);
          this.writes.updated++;
        }
        // Two events for one member would both be in force: keep the first.
        for (const e of extra) await this.remove(e);
      }
      for (const [name, es] of have) if (!wants.has(name)) for (const e of es) await this.remove(e);
    }
    // Before the first full read of upstream, an event missing from the mirror is not a cancellation.
    if (!this.upstream.synced) return;
    for (const [id, members] of byUpstream)
      if (!live.has(id)) for (const es of members.values()) for (const e of es) await this.remove(e);
  }

  /** Whether member `m` is opted out, at `at`, of what the node wrote for it from upstream event `up`. */
  optedOut(up: string, m: Member, at: number): boolean {
    const id = this.downstream.get(up)?.get(m.venName);
    return id !== undefined && this.opts.optedOut(id, m, at);
  }

  /**
   * The 2.0b members' opt-outs of these downstream events, read from the node's own VTN as any BL
   * reads them (GET /events/{id}/opts, docs/oadr2b.md), as the node's own BL client.
   */
  private async readOpts2b(eventIDs: string[]): Promise<void> {
    const issuer = this.vtn.issuer;
    if (!issuer || eventIDs.length === 0) return;
    if (!this.optsClient) {
      const name = `node-${this.config.name}`.slice(0, 64);
      const known = (await this.vtn.clients.list()).find((c) => c.name === name);
      this.optsClient = known?.clientId ?? (await this.vtn.clients.add({ role: "bl", name })).clientId;
    }
    const token = await issuer.issue(this.optsClient, "bl", ROLE_SCOPES.bl);
    for (const id of eventIDs) {
      const res = await this.vtn.app.inject({
        method: "GET",
        url: `${OADR31_PREFIX}/events/${encodeURIComponent(id)}/opts`,
        headers: { authorization: `Bearer ${token}` },
      });
      // 404: no 2.0b binding on this VTN (or the event just went): nothing opted out over 2.0b.
      const list = res.statusCode === 200 ? (res.json() as { venID: string; optType: string }[]) : [];
      this.opts.set2b(
        id,
        list.filter((o) => o.optType === "optOut").map((o) => o.venID),
      );
    }
  }

  private async remove(e: Event): Promise<void> {
    await this.vtn.core.events.remove(this.bl, e.id);
    this.writes.deleted++;
  }

  /** The sum of the members' resource capabilities (MAX_POWER_CONSUMPTION, MAX_POWER_EXPORT). */
  private async fleetCapability(): Promise<ValuesMap[]> {
    const resources = await everything((page) => this.vtn.core.resources.list(this.bl, page));
    const sums = new Map<string, number>();
    for (const r of resources)
      for (const a of r.attributes ?? [])
        if (CAPABILITIES.includes(a.type) && typeof a.values[0] === "number")
          sums.set(a.type, (sums.get(a.type) ?? 0) + a.values[0]);
    return [...sums].map(([type, v]) => ({ type, values: [Math.round(v * 1000) / 1000] }));
  }

  private async declareCapability(): Promise<void> {
    const cap = await this.fleetCapability();
    const key = JSON.stringify(cap);
    if (key === this.capability) return;
    this.capability = key;
    await this.upstream.declareCapability(cap);
  }
}
