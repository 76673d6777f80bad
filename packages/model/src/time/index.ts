// Time rules of the canonical model: durations, interval resolution, payload sub-intervals and
// event status (User_Guide.md §7.3, §7.4). Pure functions of values.

export { isBeginningOfTime, parseDateTime } from "./datetime.ts";
export {
  addDuration,
  type Duration,
  durationMs,
  INFINITE_YEARS,
  isInfinite,
  isZero,
  parseDuration,
  ZERO_DURATION,
} from "./duration.ts";
export {
  DEFAULT_HORIZON_MS,
  MAX_RESOLVED_INTERVALS,
  type RandomizeOffset,
  type ResolvedInterval,
  type ResolveOptions,
  resolveIntervals,
  type TimedEvent,
} from "./intervals.ts";
export { type SubInterval, subIntervals, UNITARY_EVENT_PAYLOAD_TYPES, valuesAt } from "./payloads.ts";
export {
  DEFAULT_NEAR_MS,
  type EventSpan,
  type EventStatus,
  eventSpan,
  eventStatusAt,
  type IntervalInForce,
  intervalAt,
  isEventActive,
} from "./status.ts";
