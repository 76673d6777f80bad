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
   * array-index keys first). Duplicate keys are not seen here: `keys` is checked against the value.
   */
  canonical: boolean;
  /** Object keys in the text (strings followed by a colon). */
  keys: number;
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

/** Nesting depth, and whether the text is as stringify writes it, in one pass without parsing. */
function scan(text: string): Scan {
  let depth = 0;
  let max = 0;
  let keys = 0;
  // Most bodies have no backslash at all: then a string ends at the next quote.
  const escapes = text.includes("\\");
  let canonical = !LONE_SURROGATE.test(text);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = escapes ? stringEnd(text, i + 1) : text.indexOf('"', i + 1);
      if (j < 0) j = n;
      if (text.charCodeAt(j + 1) === 58) {
        keys++;
        if (canonical && digitsOnly(text, i + 1, j)) canonical = false;
      }
      i = j + 1;
    } else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
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
  return { depth: max, canonical: canonical && !nonCanonicalEscape(text, escapes), keys };
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

/** Keys of every object in a parsed value. */
function keyCount(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += keyCount(v[i]);
    return n;
  }
  for (const k in v) n += 1 + keyCount((v as Record<string, unknown>)[k]);
  return n;
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
  // A key given twice is parsed once (the last value at the first place): not the text again.
  if (scanned.canonical && typeof value === "object" && value !== null && keyCount(value) === scanned.keys)
    parsedFrom(value, text);
  return value;
}
