// ISO 8601 durations as openadr3.yaml components.schemas.duration allows them, and calendar
// arithmetic on them in UTC. "P9999Y" means infinity (User_Guide.md §7.3 intervalPeriod.duration).

/** A parsed duration. Components are non-negative; `negative` carries the leading minus. */
export interface Duration {
  negative: boolean;
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  /** May be fractional ("PT1.5S"). */
  seconds: number;
}

/**
 * The schema's own pattern (openadr3.yaml components.schemas.duration), so that every string the
 * validator accepts parses and every string it rejects throws. Days and weeks are exclusive.
 */
const DURATION_PATTERN =
  /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Years at or beyond which a duration stands for 'infinity' (User_Guide.md §7.3). */
export const INFINITE_YEARS = 9999;

export const ZERO_DURATION: Duration = Object.freeze({
  negative: false,
  years: 0,
  months: 0,
  weeks: 0,
  days: 0,
  hours: 0,
  minutes: 0,
  seconds: 0,
});

/**
 * The longest finite duration: 10,000 years. Anything longer that is not 'infinity' (P9999Y and
 * up) would move a date out of the range of dates (issue 15: "PT99999999999999999999S" and
 * "P99999999D" were 500s), so it is refused where it is written, as a bad value of its field.
 */
export const MAX_FINITE_MS = 10_000 * 365.2425 * 86_400_000;

/** Approximate length (months of 30.436875 days), enough to tell whether it is in range. */
function approxMs(d: Duration): number {
  const days = (d.years * 12 + d.months) * 30.436875 + d.weeks * 7 + d.days;
  return days * 86_400_000 + ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
}

/** Whether `d` is 'infinity' or short enough to move any date in range. */
export function isInRange(d: Duration): boolean {
  return isInfinite(d) || approxMs(d) <= MAX_FINITE_MS;
}

export function parseDuration(iso: string): Duration {
  const d = parseUnchecked(iso);
  if (!isInRange(d))
    throw new Error(
      `invalid ISO 8601 duration ${JSON.stringify(iso)}: longer than 10000 years (write P9999Y for 'infinity')`,
    );
  return d;
}

function parseUnchecked(iso: string): Duration {
  const m = typeof iso === "string" ? DURATION_PATTERN.exec(iso) : null;
  if (!m) {
    throw new Error(`invalid ISO 8601 duration ${JSON.stringify(iso)}: expected e.g. "PT1H", "P1DT30M" or "-P2W"`);
  }
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const [, sign, y, mo, dw, unit, h, mi, s] = m;
  return {
    negative: sign === "-",
    years: n(y),
    months: n(mo),
    weeks: unit === "W" ? n(dw) : 0,
    days: unit === "D" ? n(dw) : 0,
    hours: n(h),
    minutes: n(mi),
    seconds: n(s),
  };
}

/** True for "P9999Y" and anything at least as long; negative durations are never infinite. */
export function isInfinite(d: Duration): boolean {
  return !d.negative && d.years + d.months / 12 >= INFINITE_YEARS;
}

export function isZero(d: Duration): boolean {
  return d.years + d.months + d.weeks + d.days + d.hours + d.minutes + d.seconds === 0;
}

const MS_PER_DAY = 86_400_000;

/**
 * `date` moved by `d`. Years and months are calendar steps in UTC: the day of month is clamped to
 * the target month's length (Jan 31 + P1M = Feb 28/29), as ISO 8601 and java.time do. Weeks and
 * days are 24 h each (UTC has no DST); the time part is exact, fractional seconds rounded to ms.
 * A negative duration applies every component backwards, calendar part first.
 */
export function addDuration(date: Date, d: Duration): Date {
  const sign = d.negative ? -1 : 1;
  const out = new Date(date.getTime());
  const totalMonths = sign * (d.years * 12 + d.months);
  if (totalMonths !== 0) {
    const day = out.getUTCDate();
    const monthIndex = out.getUTCFullYear() * 12 + out.getUTCMonth() + totalMonths;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12;
    // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
    out.setUTCFullYear(year, month, Math.min(day, daysInMonth(year, month)));
  }
  const ms = (d.weeks * 7 + d.days) * MS_PER_DAY + ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
  const result = new Date(out.getTime() + sign * Math.round(ms));
  if (Number.isNaN(result.getTime())) {
    throw new RangeError(`${date.toISOString()} moved by the duration is outside the range of dates`);
  }
  return result;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

/** Length of `d` in milliseconds when applied at `from` (months and years vary with the calendar). */
export function durationMs(d: Duration, from: Date): number {
  return addDuration(from, d).getTime() - from.getTime();
}
