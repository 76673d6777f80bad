import { describe, expect, it } from "vitest";
import { validatorFor } from "../schema.ts";
import { isBeginningOfTime, parseDateTime } from "./datetime.ts";
import {
  addDuration,
  type Duration,
  durationMs,
  isInfinite,
  isZero,
  parseDuration,
  ZERO_DURATION,
} from "./duration.ts";

const d = (parts: Partial<Duration>): Duration => ({ ...ZERO_DURATION, ...parts });
const utc = (s: string) => new Date(s);

describe("parseDuration reads what openadr3.yaml duration allows", () => {
  it.each<[string, Duration]>([
    ["PT1H", d({ hours: 1 })],
    ["PT0S", d({})],
    ["P1Y2M3DT4H5M6S", d({ years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 })],
    ["P2W", d({ weeks: 2 })],
    ["P7D", d({ days: 7 })],
    ["PT1.5S", d({ seconds: 1.5 })],
    ["PT0.001S", d({ seconds: 0.001 })],
    ["P9999Y", d({ years: 9999 })],
    ["-PT15M", d({ negative: true, minutes: 15 })],
    ["-P1M", d({ negative: true, months: 1 })],
    ["P1M", d({ months: 1 })],
    ["PT1M", d({ minutes: 1 })],
    ["P1DT12H", d({ days: 1, hours: 12 })],
  ])("%s", (iso, expected) => {
    expect(parseDuration(iso)).toEqual(expected);
  });

  it.each([
    "",
    "P",
    "PT",
    "1H",
    "pt1h",
    "P0S", // the User Guide's randomizeStart default is a typo for PT0S
    "P1H",
    "PT1D",
    "P1W2D",
    "P1.5Y",
    "PT1,5S",
    "+PT1H",
    "--PT1H",
    "P-1D",
    " PT1H",
    "PT1H ",
    "PT1S2M",
    "P1D1Y",
  ])("rejects %j with a clear Error", (iso) => {
    expect(() => parseDuration(iso)).toThrow(/invalid ISO 8601 duration/);
  });

  it("agrees with the schema validator on every case above", () => {
    const valid = validatorFor("duration");
    for (const s of ["PT1H", "-P1M", "P9999Y", "PT1.5S", "P", "P0S", "P1W2D", "PT1H "]) {
      let parsed = true;
      try {
        parseDuration(s);
      } catch {
        parsed = false;
      }
      expect([s, parsed]).toEqual([s, valid(s)]);
    }
  });
});

describe("addDuration is calendar-aware in UTC", () => {
  it.each<[string, string, string]>([
    ["2024-01-15T10:00:00Z", "PT1H", "2024-01-15T11:00:00.000Z"],
    ["2024-01-15T10:00:00Z", "P1D", "2024-01-16T10:00:00.000Z"],
    ["2024-01-15T10:00:00Z", "P2W", "2024-01-29T10:00:00.000Z"],
    ["2024-01-15T10:00:00Z", "PT1.5S", "2024-01-15T10:00:01.500Z"],
    ["2024-01-15T10:00:00Z", "P1M", "2024-02-15T10:00:00.000Z"],
    ["2024-01-31T00:00:00Z", "P1M", "2024-02-29T00:00:00.000Z"], // leap year: clamped to Feb 29
    ["2023-01-31T00:00:00Z", "P1M", "2023-02-28T00:00:00.000Z"],
    ["2024-03-31T00:00:00Z", "-P1M", "2024-02-29T00:00:00.000Z"],
    ["2024-08-31T00:00:00Z", "P1M", "2024-09-30T00:00:00.000Z"],
    ["2024-11-15T00:00:00Z", "P3M", "2025-02-15T00:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "P1Y", "2025-02-28T00:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "P4Y", "2028-02-29T00:00:00.000Z"],
    ["2024-01-15T00:00:00Z", "-P1Y2M", "2022-11-15T00:00:00.000Z"],
    ["2024-01-15T10:00:00Z", "-PT30M", "2024-01-15T09:30:00.000Z"],
    ["2024-03-01T00:00:00Z", "-P1D", "2024-02-29T00:00:00.000Z"],
    // DST in Europe/US is irrelevant: a day is 24 h in UTC.
    ["2024-03-30T12:00:00Z", "P1D", "2024-03-31T12:00:00.000Z"],
    ["2024-01-31T00:00:00Z", "P1M1D", "2024-03-01T00:00:00.000Z"], // months first, then days
    ["2025-06-25T00:00:00Z", "P9999Y", "+012024-06-25T00:00:00.000Z"],
  ])("%s + %s = %s", (from, iso, expected) => {
    expect(addDuration(utc(from), parseDuration(iso)).toISOString()).toBe(expected);
  });

  it("reaches years 1..99 without the 1900 offset of Date.UTC", () => {
    expect(addDuration(parseDateTime("0001-01-01"), parseDuration("P1Y")).toISOString()).toBe(
      "0002-01-01T00:00:00.000Z",
    );
  });

  it("throws a RangeError past the last representable date", () => {
    expect(() => addDuration(utc("2024-01-01T00:00:00Z"), parseDuration("P999999Y"))).toThrow(RangeError);
  });
});

describe("durationMs depends on where the duration starts", () => {
  it.each<[string, string, number]>([
    ["PT1H", "2024-01-01T00:00:00Z", 3_600_000],
    ["P1D", "2024-01-01T00:00:00Z", 86_400_000],
    ["P1M", "2024-02-01T00:00:00Z", 29 * 86_400_000],
    ["P1M", "2023-02-01T00:00:00Z", 28 * 86_400_000],
    ["P1Y", "2024-01-01T00:00:00Z", 366 * 86_400_000],
    ["-PT1H", "2024-01-01T00:00:00Z", -3_600_000],
    ["PT0S", "2024-01-01T00:00:00Z", 0],
  ])("%s from %s = %d ms", (iso, from, ms) => {
    expect(durationMs(parseDuration(iso), utc(from))).toBe(ms);
  });
});

describe("isInfinite: P9999Y stands for infinity", () => {
  it.each<[string, boolean]>([
    ["P9999Y", true],
    ["P10000Y", true],
    ["P9999Y1D", true],
    ["P9998Y12M", true],
    ["P9998Y", false],
    ["PT1H", false],
    ["-P9999Y", false],
  ])("%s -> %s", (iso, expected) => {
    expect(isInfinite(parseDuration(iso))).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["PT0S", true],
    ["-PT0S", true],
    ["P0Y0M0DT0H0M0.0S", true],
    ["PT0.001S", false],
  ])("isZero(%s) -> %s", (iso, expected) => {
    expect(isZero(parseDuration(iso))).toBe(expected);
  });
});

describe("start date-times", () => {
  it.each<[string, string]>([
    ["2023-06-15T09:30:00Z", "2023-06-15T09:30:00.000Z"],
    ["2025-06-25T00:00:00.000Z", "2025-06-25T00:00:00.000Z"],
    ["2023-06-15T09:30:00+02:00", "2023-06-15T07:30:00.000Z"],
    ["2023-06-15T09:30:00-0530", "2023-06-15T15:00:00.000Z"],
    ["2023-06-15T09:30:00", "2023-06-15T09:30:00.000Z"], // no offset: UTC
    ["2023-06-15", "2023-06-15T00:00:00.000Z"],
    ["0001-01-01", "0001-01-01T00:00:00.000Z"],
  ])("parseDateTime(%s) = %s", (s, iso) => {
    expect(parseDateTime(s).toISOString()).toBe(iso);
  });

  it.each(["", "yesterday", "2023-13-01T00:00:00Z", "2023-02-30", "2023-06-15T24:00:00Z", "2023-6-15"])(
    "parseDateTime rejects %j",
    (s) => {
      expect(() => parseDateTime(s)).toThrow(/invalid RFC 3339 date-time/);
    },
  );

  it.each<[string, boolean]>([
    ["0001-01-01", true],
    ["0001-01-01T00:00:00", true],
    ["0001-01-01T00:00:00Z", true],
    ["0001-01-01T00:00:00.000Z", true],
    ["0001-01-01T00:00:01Z", false],
    ["0001-01-02", false],
    ["2023-01-01", false],
    ["not a date", false],
  ])("isBeginningOfTime(%s) -> %s", (s, expected) => {
    expect(isBeginningOfTime(s)).toBe(expected);
  });
});
