// JSON bodies with a nesting limit and without prototype keys: a deep or poisoned body is refused
// before any code walks it.
export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

export function parseJsonLimited(text: string, maxDepth: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonBodyError(`body: not valid JSON (${(err as Error).message})`);
  }
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (depth > maxDepth) throw new JsonBodyError(`body: nested deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
    else
      for (const [k, x] of Object.entries(v)) {
        if (k === "__proto__" || k === "constructor") throw new JsonBodyError(`body: property name "${k}" is not allowed`);
        stack.push([x, depth + 1]);
      }
  }
  return value;
}
