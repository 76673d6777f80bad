// eventStatus (oadr_ei_20b.xsd EventStatusEnumeratedType: none, far, near, active, completed,
// cancelled) from the model's time rules. A 3.1 event has no status field: it is derived from
// its timing (time/status.ts), and a deleted event is "cancelled".
import { type EventStatus, eventStatusAt, type TimedEvent } from "../time/index.ts";

export type OadrEventStatus = EventStatus | "none" | "cancelled";

export function eventStatusOf(event: TimedEvent, now: Date, opts: { nearMs?: number } = {}): OadrEventStatus {
  if (!event.intervals || event.intervals.length === 0) return "none";
  return eventStatusAt(event, now, opts);
}
