import type { Event } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { calendarDays, calendarRange, shiftAnchor } from "../src/logic/calendar.ts";
import { layoutLanes, legendOf, spanLabel } from "../src/logic/timeline.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const at = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h).getTime();
const ev = (id: string, start: number, duration: string, values = [1]): Event => ({
  ...meta,
  id,
  eventName: id,
  objectType: "EVENT",
  programID: "p1",
  intervalPeriod: { start: new Date(start).toISOString(), duration },
  intervals: values.map((v, i) => ({ id: i, payloads: [{ type: "PRICE", values: [v] }] })),
});
const now = new Date(at(2030, 6, 12, 9));

describe("the events calendar", () => {
  test("a week runs Monday to Sunday; a month covers its whole weeks", () => {
    // 12 June 2030 is a Wednesday.
    const week = calendarRange("week", at(2030, 6, 12, 15));
    expect([week.first.getTime(), week.days]).toEqual([at(2030, 6, 10), 7]);
    const month = calendarRange("month", at(2030, 6, 12));
    // June 2030: 1 June is a Saturday, 30 June a Sunday → 27 May .. 30 June, five weeks.
    expect([month.first.getTime(), month.days]).toEqual([at(2030, 5, 27), 35]);
    expect(shiftAnchor("month", at(2030, 1, 31), 1)).toBe(at(2030, 2, 1));
    expect(shiftAnchor("week", at(2030, 6, 12), -1)).toBe(at(2030, 6, 5));
  });

  test("each day lists the events in force on it, with the part of the day they cover", () => {
    const events = [ev("evening", at(2030, 6, 11, 18), "PT2H", [1, 2]), ev("overnight", at(2030, 6, 13, 22), "PT4H")];
    const days = calendarDays(events, "week", at(2030, 6, 12), now);
    const listed = days.map((d) => d.items.map((i) => i.event.id));
    expect(listed).toEqual([[], ["evening"], [], ["overnight"], ["overnight"], [], []]);
    expect(days[1]?.items[0]).toMatchObject({ from: at(2030, 6, 11, 18), to: at(2030, 6, 11, 22) });
    expect(days[3]?.items[0]?.continues).toEqual({ before: false, after: true });
    expect(days[4]?.items[0]).toMatchObject({ from: at(2030, 6, 14), to: at(2030, 6, 14, 2) });
    expect(days.map((d) => d.today)).toEqual([false, false, true, false, false, false, false]);
    const month = calendarDays(events, "month", at(2030, 6, 1), now);
    expect(month.filter((d) => !d.inMonth).length).toBe(5);
  });
});

describe("the timeline's legend and span box", () => {
  test("the legend gives each payload type's range in view, with its units", () => {
    const e = {
      ...ev("prices", at(2030, 6, 12, 8), "PT1H", [0.1, 0.3, 0.2]),
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR" as const, payloadType: "PRICE", units: "KWH", currency: "EUR" },
      ],
    };
    const lanes = layoutLanes([e], [], "program", { from: at(2030, 6, 12), to: at(2030, 6, 13) }, now);
    expect(legendOf(lanes)).toEqual([{ payloadType: "PRICE", units: "EUR/KWH", min: 0.1, max: 0.3 }]);
  });

  test("a fitted span is labelled in days, hours and minutes", () => {
    expect([spanLabel(86_400_000 * 3), spanLabel(31.5 * 3_600_000), spanLabel(45 * 60_000)]).toEqual([
      "3 days",
      "31 h 30 min",
      "45 min",
    ]);
  });
});
