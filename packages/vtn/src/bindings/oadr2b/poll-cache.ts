// What a pull VEN's oadrPoll found, remembered per VEN until something that could change it
// happens, so that an idle poll (the common case: a VEN polls every few seconds, events change
// rarely) is answered from one indexed read of its registration instead of the whole walk of
// poll.ts (the ven, the queue, report requests, the distribution rebuilt and fingerprinted).
//
// A remembered state holds while all of these hold:
// - no commit changed an event, program, ven or resource since it was computed: the inputs of
//   the distribution (core's events and their grants, the program names, modificationNumbers and
//   cancelled events written in the events' own transactions) and of the report requests. The
//   mechanism is core's read cache's (core/read-cache.ts): the store's afterCommit hook, and its
//   onForeignChange hook for other instances' commits on one PostgreSQL database;
// - the registration row is the same registration (registration_id) at the same due_version: the
//   binding's own writes that may make something due (a queued message, a VEN's METADATA, a
//   re-registration) bump it after they wrote (`dueChanged`), on whichever instance they ran;
// - the moment is before the first instant an event's eventStatus changes, an event transpires
//   (and leaves the list) or a cancelled event's retention ends (Distribution.validUntil).
// It is keyed by the registration's ven_id and checked against the asking registration, so a VEN
// never gets another VEN's remembered answer.
import type { Kind, Store } from "../../store/types.ts";
import type { Oadr2bDeps, Registration } from "./context.ts";
import { bumpDueVersion } from "./registrations.ts";

/** The kinds a poll's answer is made from (see above); reports and subscriptions are not. */
const INPUT_KINDS: ReadonlySet<Kind> = new Set(["EVENT", "PROGRAM", "VEN", "RESOURCE"]);

/**
 * VENs remembered at most; a full memory forgets the longest remembered (it computes again). A
 * Map, not lru-cache: every event commit forgets all, and LRUCache.clear costs its whole capacity.
 */
const VENS_KEPT = 50_000;

/** A poll found nothing queued and no report request to make or cancel; this is its distribution. */
export interface QuietState {
  registrationId: string;
  dueVersion: number;
  /** The distribution's fingerprint (Distribution.fingerprint): due when the row's differs. */
  fingerprint: string;
  /** The oadrDistributeEvent as validated text, split where its pyld:requestID goes. */
  distribution: readonly [string, string];
  /** The validated oadrResponse to an oadrPoll without requestID (nothing due). */
  idle: string;
  /** epoch ms: the state is stale from then on (Distribution.validUntil). */
  validUntil: number;
}

interface Entry extends QuietState {
  generation: number;
}

export class PollCache {
  private generation = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly unhook: (() => void)[];

  constructor(store: Store) {
    this.unhook = [
      store.afterCommit((changes) => {
        if (changes.some((c) => INPUT_KINDS.has(c.kind))) this.forgetAll();
      }),
      store.onForeignChange((kinds) => {
        if ([...kinds].some((k) => INPUT_KINDS.has(k))) this.forgetAll();
      }),
    ];
  }

  close(): void {
    for (const u of this.unhook) u();
    this.forgetAll();
  }

  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  forget(venId: string): void {
    this.entries.delete(venId);
  }

  /** Taken before computing a state: `remember` keeps it only if no commit came in between. */
  stamp(): number {
    return this.generation;
  }

  /** The remembered state of `reg`'s VEN, if it still holds at `now`. */
  get(reg: Registration, now: number): QuietState | undefined {
    const e = this.entries.get(reg.ven_id);
    if (!e) return undefined;
    if (
      e.generation !== this.generation ||
      e.registrationId !== reg.registration_id ||
      e.dueVersion !== reg.due_version ||
      now >= e.validUntil
    ) {
      this.entries.delete(reg.ven_id);
      return undefined;
    }
    return e;
  }

  remember(venId: string, stamp: number, state: QuietState): void {
    if (stamp !== this.generation) return;
    this.entries.delete(venId);
    if (this.entries.size >= VENS_KEPT) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(venId, { ...state, generation: stamp });
  }
}

/**
 * After a write of the binding that may make something due for the VEN (written first, so a
 * poll that reads the new due_version also sees what was written): its remembered poll is stale.
 */
export async function dueChanged(deps: Oadr2bDeps, venId: string): Promise<void> {
  await bumpDueVersion(deps, venId);
  deps.pollCache?.forget(venId);
}
