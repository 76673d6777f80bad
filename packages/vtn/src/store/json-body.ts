// An object's JSON, made once. A report is serialised for its stored body, for its size in the
// quota check and for the API's answer; for a report of 96 intervals that was three
// JSON.stringify calls of the same ~8 KB per POST. Objects are immutable once built by core
// (every change makes a new object), so the first serialisation stands for all later ones.
const bodies = new WeakMap<object, string>();

export function jsonOf(o: object): string {
  let s = bodies.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    bodies.set(o, s);
  }
  return s;
}

/** Bytes of `jsonOf(o)` in UTF-8. */
export function jsonBytes(o: object): number {
  return Buffer.byteLength(jsonOf(o));
}
