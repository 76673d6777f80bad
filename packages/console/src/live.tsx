// Live data: every collection the console shows, reloaded without reloading the page: at once
// when the VTN pushes a change the operator may see (server-sent events, api/change-stream.ts),
// after each change the operator makes, and by polling — every few seconds while the push stream
// is down, every half minute while it is up (a safety net: changes committed by another VTN
// instance are not pushed). Paused while the tab is hidden.

import type { Event, Program, Report, Resource, Subscription, Ven } from "@gridlink/model";
import { useCallback, useEffect, useRef, useState } from "react";
import { followChanges } from "./api/change-stream.ts";
import { type Api, ApiError } from "./api/client.ts";
import type { Session } from "./api/session.ts";
import type { ConsoleAction } from "./logic/permissions.ts";

export interface VtnData {
  programs: Program[];
  events: Event[];
  vens: Ven[];
  resources: Resource[];
  reports: Report[];
  subscriptions: Subscription[];
  /** Delivery counts from {base}/gridlink/deliveries/summary; null when this VTN has no such endpoint. */
  deliveries: DeliverySummary | null;
  /** When each client was last heard from ({base}/gridlink/presence); null when this VTN has none. */
  presence: Sighting[] | null;
  /** Whether changes arrive by push now (else by polling alone). */
  pushed: boolean;
  loadedAt?: number;
  loading: boolean;
  error?: string;
}

export const EMPTY: VtnData = {
  programs: [],
  events: [],
  vens: [],
  resources: [],
  reports: [],
  subscriptions: [],
  deliveries: null,
  presence: null,
  pushed: false,
  loading: true,
};

export const POLL_MS = 4000;
/** Polling while the push stream is up. */
export const PUSHED_POLL_MS = 30_000;
/** Changes arriving together (one commit, a burst) cause one reload. */
const PUSH_DEBOUNCE_MS = 150;

/** GET {base}/gridlink/presence: one row per client heard from since the VTN started. */
export interface Sighting {
  clientID: string;
  lastSeenDateTime: string;
  via: "poll" | "report" | "request" | "ack";
  last: Partial<Record<"poll" | "report" | "request" | "ack", string>>;
}

/** GET {base}/gridlink/deliveries/summary (gridlink's delivery-state API, docs/notifications.md). */
export interface DeliverySummary {
  counts: Record<string, Record<string, number>>;
  fanOutBacklog?: number;
  inFlight?: number;
  mqttClients?: number | null;
}

export function useLiveData(
  api: Api,
  session: Session,
  paused: boolean,
): { data: VtnData; refresh: () => Promise<void> } {
  const [data, setData] = useState<VtnData>(EMPTY);
  const [pushed, setPushed] = useState(false);
  const inFlight = useRef<Promise<void> | null>(null);

  const load = useCallback(async () => {
    if (inFlight.current) return inFlight.current;
    const run = (async () => {
      try {
        const [programs, events, vens, resources, reports, subscriptions, deliveries, presence] = await Promise.all([
          api.listAll<Program>("/programs"),
          api.listAll<Event>("/events"),
          api.listAll<Ven>("/vens"),
          api.listAll<Resource>("/resources"),
          api.listAll<Report>("/reports"),
          api.listAll<Subscription>("/subscriptions"),
          api.optional<DeliverySummary>("/gridlink/deliveries/summary").catch(() => undefined),
          api.optional<Sighting[]>("/gridlink/presence").catch(() => undefined),
        ]);
        setData({
          programs,
          events,
          vens,
          resources,
          reports,
          subscriptions,
          deliveries: deliveries && typeof deliveries === "object" && "counts" in deliveries ? deliveries : null,
          presence: Array.isArray(presence) ? presence : null,
          pushed: false,
          loadedAt: Date.now(),
          loading: false,
        });
      } catch (err) {
        const message = err instanceof ApiError ? err.problem.detail : String(err);
        setData((d) => ({ ...d, loading: false, error: `Refresh failed: ${message}` }));
      } finally {
        inFlight.current = null;
      }
    })();
    inFlight.current = run;
    return run;
  }, [api]);

  useEffect(() => {
    if (paused) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      if (!document.hidden) await load();
      if (!stopped) timer = setTimeout(tick, pushed ? PUSHED_POLL_MS : POLL_MS);
    };
    void tick();
    const onVisible = () => {
      if (!document.hidden) void load();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [load, paused, pushed]);

  useEffect(() => {
    if (paused) return;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const stop = followChanges(session, {
      onChange: () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => {
          if (!document.hidden) void load();
        }, PUSH_DEBOUNCE_MS);
      },
      onState: setPushed,
    });
    return () => {
      clearTimeout(debounce);
      stop();
      setPushed(false);
    };
  }, [session, load, paused]);

  return { data: { ...data, pushed }, refresh: load };
}

/** What every view gets: the API, the live data and a way to reload it at once after a change. */
export interface ViewProps {
  api: Api;
  data: VtnData;
  refresh: () => Promise<void>;
  /** Whether the session's scopes allow a write (logic/permissions.ts); the VTN still enforces. */
  may: (action: ConsoleAction) => boolean;
}
