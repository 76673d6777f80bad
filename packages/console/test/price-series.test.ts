import { describe, expect, test } from "vitest";
import { parsePriceSeries } from "../src/logic/price-series.ts";

describe("pasting a price series", () => {
  const day = Array.from({ length: 24 }, (_, h) => Number((0.1 + h / 100).toFixed(2)));

  test.each([
    ["one value per line", day.join("\n"), day],
    [
      "a spreadsheet column with hour labels and decimal commas",
      day.map((v, h) => `${h}:00\t${String(v).replace(".", ",")}`).join("\n"),
      day,
    ],
    ["one line separated by tabs", day.join("\t"), day],
    ["one line separated by commas", day.join(","), day],
    [
      "one line separated by semicolons with decimal commas",
      day.map((v) => String(v).replace(".", ",")).join(";"),
      day,
    ],
    ["Windows line ends and blank lines", `0.1\r\n\r\n0.2\r\n`, [0.1, 0.2]],
    ["negative prices", "-0.05\n0\n+0.3", [-0.05, 0, 0.3]],
  ])("%s", (_name, text, expected) => {
    expect(parsePriceSeries(text)).toEqual({ ok: true, values: expected });
  });

  test.each([
    ["", "paste one price per line"],
    ["0.1\nabc\n0.3", 'line 2 ("abc") does not end in a number'],
    ["0.1 x 0.3", 'value 2 ("x") is not a number'],
  ])("refuses %j naming the problem", (text, message) => {
    const r = parsePriceSeries(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
});
