// JSON bodies with a nesting limit and without prototype keys: a deep or poisoned body is refused
// before any code walks it. A body whose text is as JSON.stringify would write it keeps that text
// (store/json-body.ts parsedFrom), so a report can be stored without being serialised again.
import { parsedFrom } from "./store/json-body.ts";

export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

interface Scan {
  /** The deepest nesting of objects/arrays. */
  depth: number;
  /**
   * Whether the text is as JSON.stringify writes the value it parses to, as far as one pass can
   * tell: no whitespace between tokens, only the escapes stringify makes (\" \\ \b \f \n \r \t),
   * no lone surrogate, numbers as Number#toString writes them, no key of digits only (V8 puts
   * array-index keys first), no key given twice in one object (parsed once: the last value at
   * the first place).
   */
  canonical: boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Whether the number token text[a, b) is as Number#toString writes its value (ECMA-262
 * §Number::toString): decided without parsing for integers and plain decimals of at most 15
 * significant digits (each such decimal is the shortest that round-trips to its double), by
 * parsing otherwise (exponents, longer digit strings).
 */
function canonicalNumber(text: string, a: number, b: number): boolean {
  let i = a;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i++;
  const intStart = i;
  while (i < b && isDigit(text.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  const zero = intDigits === 1 && text.charCodeAt(intStart) === 48;
  let significant = zero ? 0 : intDigits;
  if (intDigits > 0 && i === b) return !(negative && zero) && (significant <= 15 || parsesBack(text, a, b));
  if (intDigits === 0 || text.charCodeAt(i) !== 46) return parsesBack(text, a, b);
  const fracStart = ++i;
  while (i < b && isDigit(text.charCodeAt(i))) i++;
  if (i !== b || i === fracStart) return parsesBack(text, a, b);
  if (text.charCodeAt(b - 1) === 48) return false; // a fraction's trailing zero is never written
  if (zero) {
    let zeros = 0;
    while (text.charCodeAt(fracStart + zeros) === 48) zeros++;
    if (zeros > 5) return parsesBack(text, a, b); // 1e-7 and smaller are written with an exponent
    significant = b - fracStart - zeros;
  } else significant += b - fracStart;
  return significant <= 15 || parsesBack(text, a, b);
}

function parsesBack(text: string, a: number, b: number): boolean {
  const token = text.slice(a, b);
  return String(Number(token)) === token;
}

/** A lone surrogate (ECMA-262 §QuoteJSONString: stringify writes it as a \u escape). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Keys and open objects/arrays the scan keeps track of, and keys of one object it compares (each
 * with those before it: bounded, so that a body of one object with many keys costs no more than
 * a linear pass); a text with more is taken as not canonical (and serialised as before).
 */
const MAX_KEYS = 65_536;
const MAX_KEYS_PER_OBJECT = 64;
const MAX_OPEN = 4096;
const stacks = { keyStart: new Int32Array(MAX_KEYS), keyEnd: new Int32Array(MAX_KEYS), open: new Int32Array(MAX_OPEN) };

/** Nesting depth, and whether the text is as stringify writes it, in one pass without parsing. */
function scan(text: string): Scan {
  let depth = 0;
  let max = 0;
  // Most bodies have no backslash at all: then a string ends at the next quote.
  const escapes = text.includes("\\");
  let canonical = !LONE_SURROGATE.test(text);
  // The keys of the open objects (where each starts and ends in the text), and for each open
  // object or array where its keys begin in them (-1: an array). With stringify's escapes only, a
  // key given twice is the same text twice. Typed arrays kept between calls (scan runs on one
  // thread, start to end): no allocation.
  let keys = 0;
  let opened = 0;
  const { keyStart, keyEnd, open } = stacks;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = escapes ? stringEnd(text, i + 1) : text.indexOf('"', i + 1);
      if (j < 0) j = n;
      if (canonical && text.charCodeAt(j + 1) === 58) {
        const from = opened > 0 ? open[opened - 1] : -1;
        if (
          keys === MAX_KEYS ||
          keys - from >= MAX_KEYS_PER_OBJECT ||
          digitsOnly(text, i + 1, j) ||
          givenBefore(text, keyStart, keyEnd, from, keys, i + 1, j)
        )
          canonical = false;
        else {
          keyStart[keys] = i + 1;
          keyEnd[keys++] = j;
        }
      }
      i = j + 1;
    } else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (opened === MAX_OPEN) canonical = false;
      if (canonical) open[opened++] = c === 123 ? keys : -1;
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (canonical && opened > 0) {
        const from = open[--opened];
        if (from >= 0) keys = from;
      }
      i++;
    } else if (c === 45 || isDigit(c)) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (!(isDigit(d) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
      }
      if (canonical && !canonicalNumber(text, i, j)) canonical = false;
      i = j;
    } else {
      if (c === 32 || c === 9 || c === 10 || c === 13) canonical = false;
      i++;
    }
  }
  return { depth: max, canonical: canonical && !nonCanonicalEscape(text, escapes) };
}

/** Whether the key text[a, b) is one of the keys `from` to `to` (those of the same object). */
function givenBefore(
  text: string,
  starts: Int32Array,
  ends: Int32Array,
  from: number,
  to: number,
  a: number,
  b: number,
) {
  if (from < 0) return false;
  for (let k = from; k < to; k++) {
    const s = starts[k];
    if (ends[k] - s !== b - a) continue;
    let same = true;
    for (let x = 0; x < b - a; x++)
      if (text.charCodeAt(s + x) !== text.charCodeAt(a + x)) {
        same = false;
        break;
      }
    if (same) return true;
  }
  return false;
}

/** The closing quote of the string whose text starts at `from`, past any escaped character. */
function stringEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 34) return j;
    if (d === 92) j++;
  }
  return -1;
}

/** Whether text[a, b) is made of digits only (a key V8 may take for an array index). */
function digitsOnly(text: string, a: number, b: number): boolean {
  if (a === b) return false;
  for (let i = a; i < b; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Whether some escape is not one stringify writes (it writes \" \\ \b \f \n \r \t, a \u escape
 * for other control characters and lone surrogates; "/" and the rest as themselves). A \u escape
 * is taken as not canonical (rare; then the body is serialised as before).
 */
function nonCanonicalEscape(text: string, escapes: boolean): boolean {
  if (!escapes) return false;
  for (let at = text.indexOf("\\"); at >= 0; at = text.indexOf("\\", at + 2)) {
    const e = text.charCodeAt(at + 1);
    if (e !== 34 && e !== 92 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) return true;
  }
  return false;
}

/** Throws when a parsed value has a `__proto__` or `constructor` key anywhere. */
function refusePrototypeKeys(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) stack.push(...v);
    else
      for (const [k, x] of Object.entries(v)) {
        if (k === "__proto__" || k === "constructor")
          throw new JsonBodyError(`body: property name "${k}" is not allowed`);
        stack.push(x);
      }
  }
}

const NULL_FREE = new WeakSet<object>();

/** Whether `value` came from parseJsonLimited out of text in which no null could appear. */
export function knownNullFree(value: unknown): boolean {
  return value !== null && typeof value === "object" && NULL_FREE.has(value);
}

export function parseJsonLimited(text: string, maxDepth: number): unknown {
  const scanned = scan(text);
  if (scanned.depth > maxDepth) throw new JsonBodyError(`body: nested deeper than ${maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonBodyError(`body: not valid JSON (${(err as Error).message})`);
  }
  // Only walk the value when the text could hold such a key at all (literally or \u-escaped).
  if (text.includes("__proto__") || text.includes("constructor") || text.includes("\\u")) refusePrototypeKeys(value);
  // JSON's null is a bare token (it cannot be escaped): text without "null" holds no null value.
  if (!text.includes("null") && value !== null && typeof value === "object") NULL_FREE.add(value);
  if (scanned.canonical && typeof value === "object" && value !== null) parsedFrom(value, text);
  return value;
}
