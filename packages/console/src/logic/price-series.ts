// Bulk paste of a price series (e.g. 24 hourly day-ahead prices copied from a spreadsheet or a
// market page) into one interval per value.

export type SeriesParse = { ok: true; values: number[] } | { ok: false; message: string };

export const MAX_SERIES = 1000;

const NUMBER = /^[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?$/;

function toNumber(token: string): number | undefined {
  const t = token.trim();
  if (!NUMBER.test(t)) return undefined;
  // A decimal comma (European spreadsheets): only ever one, with digits on both sides or before.
  return Number(t.replace(",", "."));
}

/**
 * One value per line, where a line may also carry a label (`00:00  0,215` or `1;0.215`): the last
 * number on the line is the price. A single line is split on tabs, semicolons or whitespace, and
 * on commas only when nothing else separates the values.
 */
export function parsePriceSeries(text: string): SeriesParse {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length === 0) return { ok: false, message: "paste one price per line (or a single line of prices)" };
  const values: number[] = [];
  if (lines.length === 1) {
    const line = lines[0];
    const tokens = /[\t; ]/.test(line) ? line.split(/[\t; ]+/) : line.split(",");
    for (const [i, tok] of tokens.filter((t) => t !== "").entries()) {
      const n = toNumber(tok);
      if (n === undefined) return { ok: false, message: `value ${i + 1} ("${tok}") is not a number` };
      values.push(n);
    }
  } else {
    for (const [i, line] of lines.entries()) {
      const tokens = line.split(/[\t; ]+|(?<=\d),(?=\s)/).filter((t) => t !== "");
      const last = tokens[tokens.length - 1] ?? "";
      const n = toNumber(last);
      if (n === undefined) return { ok: false, message: `line ${i + 1} ("${line}") does not end in a number` };
      values.push(n);
    }
  }
  if (values.length > MAX_SERIES) return { ok: false, message: `at most ${MAX_SERIES} values at once` };
  return { ok: true, values };
}
