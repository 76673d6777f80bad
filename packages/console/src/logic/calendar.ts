// The events calendar (week and month), pure: local days, weeks from Monday (ISO 8601), each day
// the events whose intervals (resolved by the model's time rules, as the timeline places them)
// fall on it, with the part of the day they cover.
import type { Event } from "@gridlink/model";
import { eventBlocks } from "./timeline.ts";

export type CalendarMode = "week" | "month";

export interface DayItem {
  event: Event;
  /** The part of the day the event's intervals cover. */
  from: number;
  to: number;
  /** Whether the event begins before this day / goes on after it. */
  continues: { before: boolean; after: boolean };
}

export interface CalendarDay {
  start: number;
  end: number;
  /** false for the days of the neighbouring months that fill a month's first and last week. */
  inMonth: boolean;
  today: boolean;
  items: DayItem[];
}

function dayStart(t: number): Date {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d;
}

function addDays(d: Date, n: number): Date {
  const x = new Date(d);
  x.setDate(x.getDate() + n);
  return x;
}

/** Monday of the week of `d` (local time). */
function monday(d: Date): Date {
  return addDays(dayStart(d.getTime()), -((d.getDay() + 6) % 7));
}

/** The days the calendar shows for `anchor`: its week, or its month's whole weeks. */
export function calendarRange(mode: CalendarMode, anchor: number): { first: Date; days: number } {
  if (mode === "week") return { first: monday(new Date(anchor)), days: 7 };
  const a = new Date(anchor);
  const first = monday(new Date(a.getFullYear(), a.getMonth(), 1));
  const last = new Date(a.getFullYear(), a.getMonth() + 1, 0);
  const end = addDays(monday(last), 7);
  return { first, days: Math.round((end.getTime() - first.getTime()) / 86_400_000) };
}

export function calendarDays(events: readonly Event[], mode: CalendarMode, anchor: number, now: Date): CalendarDay[] {
  const { first, days } = calendarRange(mode, anchor);
  const month = new Date(anchor).getMonth();
  const today = dayStart(now.getTime()).getTime();
  const range = { from: first.getTime(), to: addDays(first, days).getTime() };
  const blocks = events.map((e) => ({ event: e, blocks: eventBlocks(e, range, now) }));
  const out: CalendarDay[] = [];
  for (let i = 0; i < days; i++) {
    const d = addDays(first, i);
    const start = d.getTime();
    const end = addDays(d, 1).getTime();
    const items: DayItem[] = [];
    for (const { event, blocks: bs } of blocks) {
      const on = bs.filter((b) => b.end > start && b.start < end);
      if (on.length === 0) continue;
      const from = Math.min(...on.map((b) => b.start));
      const to = Math.max(...on.map((b) => b.end));
      items.push({
        event,
        from: Math.max(from, start),
        to: Math.min(to, end),
        continues: { before: from < start, after: to > end },
      });
    }
    items.sort((a, b) => a.from - b.from || (a.event.eventName ?? "").localeCompare(b.event.eventName ?? ""));
    out.push({ start, end, inMonth: mode === "week" || d.getMonth() === month, today: start === today, items });
  }
  return out;
}

/** The anchor one week or one month earlier (dir −1) or later (+1). */
export function shiftAnchor(mode: CalendarMode, anchor: number, dir: number): number {
  const d = new Date(anchor);
  if (mode === "week") return addDays(d, 7 * dir).getTime();
  return new Date(d.getFullYear(), d.getMonth() + dir, 1).getTime();
}

/** "June 2030", or "2 – 8 June 2030" for a week. */
export function calendarTitle(mode: CalendarMode, anchor: number): string {
  const { first, days } = calendarRange(mode, anchor);
  if (mode === "month") return new Date(anchor).toLocaleDateString(undefined, { month: "long", year: "numeric" });
  const last = addDays(first, days - 1);
  const f = first.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  const l = last.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  return `${f} – ${l}`;
}
