// JSON bodies with a nesting limit and without prototype keys: a deep or poisoned body is refused
// before any code walks it.
export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/** The deepest nesting of objects/arrays in JSON text, found in one pass without parsing. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
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
  if (nestingDepth(text) > maxDepth) throw new JsonBodyError(`body: nested deeper than ${maxDepth} levels`);
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
  return value;
}
