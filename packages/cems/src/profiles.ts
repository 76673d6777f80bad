// Daily shapes for the simulated resources: load, sunshine and outdoor temperature by local hour,
// with deterministic noise from a seed, so that a simulation run twice gives the same figures.

export const HOUR_MS = 3_600_000;

/** Hour of the local day in [0, 24) for an instant, given the site's UTC offset in hours. */
export function localHour(t: Date, utcOffsetHours = 0): number {
  const h = (t.getTime() / HOUR_MS + utcOffsetHours) % 24;
  return h < 0 ? h + 24 : h;
}

/** The local calendar day number (days since the epoch), for per-day draws. */
export function localDay(t: Date, utcOffsetHours = 0): number {
  return Math.floor((t.getTime() / HOUR_MS + utcOffsetHours) / 24);
}

/** A deterministic draw in [0, 1) for (seed, key). */
export function noise(seed: string, key: string | number): number {
  let h = 0x811c9dc5;
  const s = `${seed}:${key}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One round of mixing so that neighbouring keys do not give neighbouring values.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}

/** Household load relative to its average: low at night, peaks in the morning and the evening. */
export function loadShape(hour: number): number {
  const bump = (centre: number, width: number, height: number) => height * Math.exp(-(((hour - centre) / width) ** 2));
  return 0.55 + bump(7.5, 1.2, 0.8) + bump(12.5, 1.5, 0.35) + bump(19, 2, 1.2);
}

/** Clear-sky PV output relative to its peak: zero outside sunrise..sunset, a sine arch inside. */
export function solarShape(hour: number, sunrise = 6, sunset = 20): number {
  if (hour <= sunrise || hour >= sunset) return 0;
  return Math.sin((Math.PI * (hour - sunrise)) / (sunset - sunrise)) ** 1.5;
}

/** Outdoor temperature: coldest at 05:00, warmest at 15:00. */
export function outdoorTemp(hour: number, meanC = 5, swingC = 5): number {
  return meanC + swingC * Math.cos((2 * Math.PI * (hour - 15)) / 24);
}
