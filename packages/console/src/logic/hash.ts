// Views take their selection from the hash (`#/reports?event=…`), so that links between views work.

/** A query parameter of the hash route, "" when absent. */
export function hashParam(name: string): string {
  const q = window.location.hash.split("?")[1] ?? "";
  return new URLSearchParams(q).get(name) ?? "";
}
