// An object's JSON, made once. A report is serialised for its stored body, for its size in the
// quota check and for the API's answer; for a report of 96 intervals that was three
// JSON.stringify calls of the same ~8 KB per POST. Objects are immutable once built by core
// (every change makes a new object), so the first serialisation stands for all later ones; an
// object read from the store keeps the text it was read from, so a list of large reports goes out
// without being serialised again (issue 15 hole 4).
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

/** An object read from its stored JSON, which stays its `jsonOf` (an answer sends the text as read). */
export function fromJson<T>(text: string): T {
  const o = JSON.parse(text);
  if (o !== null && typeof o === "object") bodies.set(o, text);
  return o as T;
}
