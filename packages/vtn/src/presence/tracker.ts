// When each client was last heard from, for "VENs online now" (console dashboard, docs/console.md):
// its API requests (polls of events and programs, reports, any other call, in any binding) as they
// finish, and the notifications its webhook receivers acknowledged (from the outbox, since those
// are recorded by the notifier's worker thread). Kept in memory: after a restart a client is
// "online" again with its next request or acknowledgement, which for a live VEN is minutes away.

export type SeenVia = "poll" | "report" | "request" | "ack";

export interface Sighting {
  clientID: string;
  /** The last time anything was heard, and by which way. */
  lastSeenDateTime: string;
  via: SeenVia;
  /** The last time of each way heard since start (absent: not since start). */
  last: Partial<Record<SeenVia, string>>;
}

/** What a request was, from its method and route pattern (the binding's own path, any version). */
export function requestKind(method: string, route: string): SeenVia {
  if (method === "POST" && /\/reports$/.test(route)) return "report";
  if (method === "PUT" && /\/reports\/:[^/]+$/.test(route)) return "report";
  if (method === "GET" && /\/(events|programs)(\/:[^/]+)?$/.test(route)) return "poll";
  // OpenADR 2.0b: every oadrPoll is a POST to the OadrPoll service (the last segment of the URL).
  if (method === "POST" && /OadrPoll$/i.test(route)) return "poll";
  return "request";
}

/**
 * Whether a route's kind depends on the URL asked and not the route alone: the 2.0b route
 * (`/OpenADR2/Simple/2.0b/:service`) names its service in a parameter.
 */
export function kindByUrl(route: string): boolean {
  return route.endsWith("/:service");
}

export class PresenceTracker {
  private readonly seen = new Map<string, Map<SeenVia, number>>();

  record(clientID: string, via: SeenVia, at = Date.now()): void {
    const m = this.seen.get(clientID) ?? new Map<SeenVia, number>();
    this.seen.set(clientID, m);
    if ((m.get(via) ?? 0) < at) m.set(via, at);
  }

  /** Every client heard from since start, with acknowledgements (`acks`: last acknowledged delivery per client) merged in. */
  list(acks: ReadonlyMap<string, number> = new Map()): Sighting[] {
    const ids = new Set([...this.seen.keys(), ...acks.keys()]);
    const out: Sighting[] = [];
    for (const id of ids) {
      const m = new Map(this.seen.get(id) ?? []);
      const ack = acks.get(id);
      if (ack !== undefined && (m.get("ack") ?? 0) < ack) m.set("ack", ack);
      let via: SeenVia = "request";
      let at = -1;
      const last: Sighting["last"] = {};
      for (const [k, t] of m) {
        last[k] = new Date(t).toISOString();
        if (t > at) [at, via] = [t, k];
      }
      out.push({ clientID: id, lastSeenDateTime: new Date(at).toISOString(), via, last });
    }
    return out.sort((a, b) => b.lastSeenDateTime.localeCompare(a.lastSeenDateTime));
  }
}
