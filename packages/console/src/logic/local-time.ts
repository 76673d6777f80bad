// The operator types and reads times in the browser's local zone; the wire carries RFC 3339 UTC.
import { isBeginningOfTime, parseDateTime } from "@gridlink/model/time";

const pad = (n: number) => String(n).padStart(2, "0");

/** The value of an <input type="datetime-local"> for `d` (local time, minutes, seconds if any). */
export function toLocalInput(d: Date): string {
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getSeconds() ? `${base}:${pad(d.getSeconds())}` : base;
}

/** A datetime-local value (local time) as an instant; undefined when it is not one. */
export function fromLocalInput(s: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) return undefined;
  const d = new Date(s); // a date-time without offset is local time in ECMAScript
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An intervalPeriod.start for an input field: '' for 'now' (0001-01-01) and for none. */
export function startToInput(start: string | undefined | null): string {
  if (!start || isBeginningOfTime(start)) return "";
  try {
    return toLocalInput(parseDateTime(start));
  } catch {
    return "";
  }
}

export function formatTime(d: Date | number): string {
  return new Date(d).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function formatClock(d: Date | number): string {
  return new Date(d).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** The next full hour after `now`, a sensible default start for a new event. */
export function nextHour(now = new Date()): Date {
  const d = new Date(now);
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  return d;
}
