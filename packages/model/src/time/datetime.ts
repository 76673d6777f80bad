// Date-times of intervalPeriod.start: RFC 3339 (openadr3.yaml components.schemas.dateTime), plus the
// forms the User Guide itself writes for 'the beginning of time' ("0001-01-01", "0001-01-01T00:00:00").

const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** 0001-01-01T00:00:00Z, which User_Guide.md §7.3 intervalPeriod.start reads as 'now'. */
export const BEGINNING_OF_TIME_MS = new Date(0).setUTCFullYear(1, 0, 1);

/**
 * The instant written in `s`. A date or date-time without offset is read as UTC: the guide's
 * "0001-01-01T00:00:00" has none, and JavaScript would otherwise read it in local time.
 */
export function parseDateTime(s: string): Date {
  const m = typeof s === "string" ? DATE_TIME_PATTERN.exec(s) : null;
  if (!m) throw new Error(`invalid RFC 3339 date-time ${JSON.stringify(s)}: expected e.g. "2023-06-15T09:30:00Z"`);
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", offset = "Z"] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(sec), Math.round(Number(`0${frac || ".0"}`) * 1000));
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(sec) > 60
  ) {
    throw new Error(`invalid RFC 3339 date-time ${JSON.stringify(s)}: no such date or time`);
  }
  return new Date(date.getTime() - offsetMs(offset));
}

function offsetMs(offset: string): number {
  if (offset === "Z" || offset === "z") return 0;
  const sign = offset[0] === "-" ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Whether `start` is 'the beginning of time' (in any spelling of that instant), meaning 'now'. */
export function isBeginningOfTime(start: string): boolean {
  try {
    return parseDateTime(start).getTime() === BEGINNING_OF_TIME_MS;
  } catch {
    return false;
  }
}

/**
 * Whether `s` names an instant that exists: the pattern's fields form a real calendar date
 * ("2023-02-30" does not) and a time of day below 24:00:00. A leap second ("23:59:60") is
 * refused too: no JavaScript date can hold it, and the VTN could not schedule by it
 * (docs/security.md, Limits).
 */
export function isRealDateTime(s: string): boolean {
  const m = DATE_TIME_PATTERN.exec(s);
  if (!m) return false;
  if (m[6] !== undefined && Number(m[6]) > 59) return false;
  try {
    return !Number.isNaN(parseDateTime(s).getTime());
  } catch {
    return false;
  }
}
