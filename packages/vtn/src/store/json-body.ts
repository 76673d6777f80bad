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

const byteSizes = new WeakMap<object, number>();

/**
 * Bytes of `jsonOf(o)` in UTF-8, counted once per object. The quota check of each write of a
 * group commit adds up the new objects of the same owner that earlier writes of the commit
 * stored: 32 reports of one VEN in one commit counted each report's 8 KB 16 times on average
 * (7.6% of the API thread in an ingest profile, issue 13).
 */
export function jsonBytes(o: object): number {
  let n = byteSizes.get(o);
  if (n === undefined) {
    n = Buffer.byteLength(jsonOf(o));
    byteSizes.set(o, n);
  }
  return n;
}

/** An object read from its stored JSON, which stays its `jsonOf` (an answer sends the text as read). */
export function fromJson<T>(text: string): T {
  const o = JSON.parse(text);
  if (o !== null && typeof o === "object") bodies.set(o, text);
  return o as T;
}

// A request body parsed from text that JSON.stringify would write again byte for byte (json.ts
// checks that as it parses). Kept apart from `bodies`: a body is the client's value, which the
// code that reads it could still change; its text is only used through `joinedJson`, which
// checks what it relies on.
const parsedTexts = new WeakMap<object, string>();

/** `text` parsed to `o`, and `JSON.stringify(o) === text` (json.ts). */
export function parsedFrom(o: object, text: string): void {
  parsedTexts.set(o, text);
}

/**
 * `{ ...head, ...fields, ...tail }`, whose JSON (`jsonOf`) is made from the text `body` was
 * parsed from, when it is known and `fields` holds exactly `body`'s properties (a shallow copy of
 * it, as a validated request is), none of them a key of `head` or `tail`: then stringify would
 * write head's members, the body's text between its braces, and tail's members, so the body is
 * not serialised again (a report of 96 intervals: about 60 µs of a POST, issue 13). Otherwise
 * the object's JSON is made by `jsonOf` as for any other.
 */
export function joinedJson<T extends object>(head: object, fields: object, tail: object, body: unknown): T {
  const o = Object.assign({}, head, fields, tail) as T;
  const text = body !== null && typeof body === "object" ? parsedTexts.get(body) : undefined;
  if (text === undefined || text.charCodeAt(0) !== 123 || !sameFields(fields, body as object, head, tail)) return o;
  const inner = text.slice(1, -1);
  const h = JSON.stringify(head);
  const t = JSON.stringify(tail);
  const parts = [h.length > 2 ? h.slice(1, -1) : "", inner, t.length > 2 ? t.slice(1, -1) : ""].filter((p) => p);
  bodies.set(o, `{${parts.join(",")}}`);
  return o;
}

/**
 * Whether `fields` has `body`'s own properties in the same order with the same values, and none
 * of `head`'s or `tail`'s keys. (What lies inside those values is the client's parsed value: the
 * VTN does not change a body it was given.)
 */
function sameFields(fields: object, body: object, head: object, tail: object): boolean {
  const f = fields as Record<string, unknown>;
  const b = body as Record<string, unknown>;
  const fk = Object.keys(f);
  const bk = Object.keys(b);
  if (fk.length !== bk.length) return false;
  for (let i = 0; i < bk.length; i++) {
    const k = bk[i];
    if (fk[i] !== k || f[k] !== b[k] || Object.hasOwn(head, k) || Object.hasOwn(tail, k)) return false;
  }
  return true;
}

/** The text `o` was parsed from, when JSON.stringify writes it so (json.ts); else undefined. */
export function parsedTextOf(o: object): string | undefined {
  return parsedTexts.get(o);
}
