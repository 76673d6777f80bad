// Live data: every collection the console shows, reloaded every few seconds (polling; the VTN
// has no server-sent events) without reloading the page, and at once after each change the
// operator makes. Paused while the tab is hidden.

import type { Event, Program, Report, Resource, Subscription, Ven } from "@gridlink/model";
import { useCallback, useEffect, useRef, useState } from "react";
import { type Api, ApiError } from "./api/client.ts";

export interface VtnData {
  programs: Program[];
  events: Event[];
  vens: Ven[];
  resources: Resource[];
  reports: Report[];
  subscriptions: Subscription[];
  /** Delivery counts from {base}/gridlink/deliveries/summary; null when this VTN has no such endpoint. */
  deliveries: DeliverySummary | null;
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
  loading: true,
};

export const POLL_MS = 4000;

/** GET {base}/gridlink/deliveries/summary (gridlink's delivery-state API, docs/notifications.md). */
export interface DeliverySummary {
  counts: Record<string, Record<string, number>>;
  fanOutBacklog?: number;
  inFlight?: number;
  mqttClients?: number | null;
}

export function useLiveData(api: Api, paused: boolean): { data: VtnData; refresh: () => Promise<void> } {
  const [data, setData] = useState<VtnData>(EMPTY);
  const inFlight = useRef<Promise<void> | null>(null);

  const load = useCallback(async () => {
    if (inFlight.current) return inFlight.current;
    const run = (async () => {
      try {
        const [programs, events, vens, resources, reports, subscriptions, deliveries] = await Promise.all([
          api.listAll<Program>("/programs"),
          api.listAll<Event>("/events"),
          api.listAll<Ven>("/vens"),
          api.listAll<Resource>("/resources"),
          api.listAll<Report>("/reports"),
          api.listAll<Subscription>("/subscriptions"),
          api.optional<DeliverySummary>("/gridlink/deliveries/summary").catch(() => undefined),
        ]);
        setData({
          programs,
          events,
          vens,
          resources,
          reports,
          subscriptions,
          deliveries: deliveries && typeof deliveries === "object" && "counts" in deliveries ? deliveries : null,
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
      if (!stopped) timer = setTimeout(tick, POLL_MS);
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
  }, [load, paused]);

  return { data, refresh: load };
}

/** What every view gets: the API, the live data and a way to reload it at once after a change. */
export interface ViewProps {
  api: Api;
  data: VtnData;
  refresh: () => Promise<void>;
}
