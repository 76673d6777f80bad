// A VEN's local copy of the programs and events it can see, fed by notifications (webhook, MQTT)
// and repaired by full REST reads (at start, after a reconnect, and by the polling fallback).
// Each event version remembers when it was received: the moment its 'do it now' starts stand for.
import type { Event, Program } from "@gridlink/model";
import type { VenClient } from "./clients.ts";
import type { ParsedNotification } from "./notification.ts";
import type { KnownEvent } from "./timeline.ts";

export type MirrorChange =
  | { kind: "EVENT"; operation: "CREATE" | "UPDATE" | "DELETE"; event: Event }
  | { kind: "PROGRAM"; operation: "CREATE" | "UPDATE" | "DELETE"; program: Program };

export interface MirrorOptions {
  /** Clock for receivedAt (simulated time in a simulator); the wall clock by default. */
  now?: () => Date;
  /** Only events of this program (GET /events?programID=). */
  programID?: string;
  onChange?: (c: MirrorChange) => void;
}

function version(o: { modificationDateTime?: string; createdDateTime?: string }): string {
  return o.modificationDateTime ?? o.createdDateTime ?? "";
}

export class EventMirror {
  private readonly eventMap = new Map<string, KnownEvent>();
  private readonly programMap = new Map<string, Program>();
  private readonly now: () => Date;
  /** Bumped on every change: a cheap way for consumers to know when to rebuild their timeline. */
  revision = 0;
  /** Full REST reads done, for metrics and tests. */
  resyncs = 0;

  constructor(
    private readonly client: VenClient,
    private readonly opts: MirrorOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  events(): KnownEvent[] {
    return [...this.eventMap.values()];
  }

  event(id: string): KnownEvent | undefined {
    return this.eventMap.get(id);
  }

  programs(): Program[] {
    return [...this.programMap.values()];
  }

  program(id: string): Program | undefined {
    return this.programMap.get(id);
  }

  /** Reads everything over REST and reconciles: what the VTN no longer shows is deleted. */
  async resync(): Promise<void> {
    const [programs, events] = await Promise.all([
      this.client.programs.all(),
      this.client.events.all(this.opts.programID ? { programID: this.opts.programID } : undefined),
    ]);
    this.resyncs++;
    const seenPrograms = new Set(programs.map((p) => p.id));
    for (const p of this.programMap.values()) if (!seenPrograms.has(p.id)) this.removeProgram(p);
    for (const p of programs) this.upsertProgram(p);
    const seenEvents = new Set(events.map((e) => e.id));
    for (const k of this.eventMap.values()) if (!seenEvents.has(k.event.id)) this.removeEvent(k.event);
    for (const e of events) this.upsertEvent(e);
  }

  /** Applies a notification; other object types are ignored. */
  apply(n: ParsedNotification): void {
    if (n.operation === "READ") return;
    if (n.objectType === "EVENT") {
      const e = n.object as unknown as Event;
      if (this.opts.programID && e.programID !== this.opts.programID) return;
      if (n.operation === "DELETE") this.removeEvent(e);
      else this.upsertEvent(e);
    } else if (n.objectType === "PROGRAM") {
      const p = n.object as unknown as Program;
      if (n.operation === "DELETE") this.removeProgram(p);
      else this.upsertProgram(p);
    }
  }

  private upsertEvent(e: Event): void {
    const old = this.eventMap.get(e.id);
    if (old && version(old.event) === version(e)) return;
    // A late notification must not roll back a newer version read over REST.
    if (old && version(e) < version(old.event)) return;
    this.eventMap.set(e.id, { event: e, receivedAt: this.now() });
    this.revision++;
    this.opts.onChange?.({ kind: "EVENT", operation: old ? "UPDATE" : "CREATE", event: e });
  }

  private removeEvent(e: Event): void {
    const old = this.eventMap.get(e.id);
    if (!old) return;
    this.eventMap.delete(e.id);
    this.revision++;
    this.opts.onChange?.({ kind: "EVENT", operation: "DELETE", event: old.event });
  }

  private upsertProgram(p: Program): void {
    const old = this.programMap.get(p.id);
    if (old && version(old) >= version(p)) return;
    this.programMap.set(p.id, p);
    this.revision++;
    this.opts.onChange?.({ kind: "PROGRAM", operation: old ? "UPDATE" : "CREATE", program: p });
  }

  private removeProgram(p: Program): void {
    if (!this.programMap.delete(p.id)) return;
    this.revision++;
    this.opts.onChange?.({ kind: "PROGRAM", operation: "DELETE", program: p });
  }
}
