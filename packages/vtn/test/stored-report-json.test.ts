// A report's stored JSON is made from the request's own text when JSON.stringify would write that
// text again (json.ts, store/json-body.ts joinedJson); it must then be byte for byte what
// stringify makes of the stored object, and any other text must take stringify's way.
import { bodies, suiteVtn } from "@gridlink/vtn/testing";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseJsonLimited } from "../src/json.ts";
import { joinedJson, jsonOf, parsedTextOf } from "../src/store/json-body.ts";

const head = {
  id: "4f0d6a52-8f0e-4bde-9a53-5c3e0c1f4b1a",
  createdDateTime: "2026-12-03T06:00:00.000Z",
  modificationDateTime: "2026-12-03T06:00:00.000Z",
  objectType: "REPORT",
};
const tail = { clientID: 'ven-client-é"1' };

/** The stored JSON of a report made from `text`, and what JSON.stringify makes of it. */
function storedAndStringified(text: string) {
  const body = parseJsonLimited(text, 32) as Record<string, unknown>;
  const fields = { ...body }; // as checkedBody's copy
  const o = joinedJson<object>(head, fields, tail, body);
  return { body, stored: jsonOf(o), stringified: JSON.stringify({ ...head, ...fields, ...tail }) };
}

const intervals = (n: number, value: (i: number) => unknown) =>
  Array.from({ length: n }, (_, id) => ({ id, payloads: [{ type: "USAGE", values: [value(id)] }] }));

// Texts as JSON.stringify writes them: the request's text is used.
const canonical: Array<[string, unknown]> = [
  ["unicode", { reportName: "Zählerstand 東京 ☃ 😀 \u2028 \u007f", eventID: "e" }],
  ["escapes stringify writes", { reportName: 'a "quoted" \\ back\nline\ttab\r\b\f', eventID: "e" }],
  ["a slash and a U+2029 as themselves", { reportName: "a/b\u2029", eventID: "e" }],
  ["numbers", { eventID: "e", values: [0, -1, 1.5, -0.25, 0.000001, 123456789012345, 1e21, 5e-7, 2 ** 53, 0.1 + 0.2] }],
  ["96 intervals", { eventID: "e", resources: [{ resourceName: "m", intervals: intervals(96, (i) => i / 7) }] }],
  ["a key of one object again in another", { eventID: "e", a: { eventID: { eventID: 1 } }, b: [{ a: 1 }, { a: 2 }] }],
  [
    "40,000 intervals",
    { eventID: "e", resources: [{ resourceName: "m", intervals: intervals(40_000, (i) => i / 3) }] },
  ],
  ["2,000 intervals", { eventID: "e", resources: [{ resourceName: "m", intervals: intervals(2000, (i) => i * 1.1) }] }],
  ["empty containers and booleans", { eventID: "e", a: [], b: {}, c: [[], [{}]], d: true, e: false }],
];

// Texts stringify would write otherwise: their stored JSON is stringify's.
const other: Array<[string, string]> = [
  ["whitespace between tokens", '{ "eventID": "e", "reportName": "r" }'],
  ["a trailing newline", '{"eventID":"e"}\n'],
  ["1e21 written out", '{"eventID":"e","v":1000000000000000000000}'],
  ["an exponent stringify writes otherwise", '{"eventID":"e","v":1E3}'],
  ["-0", '{"eventID":"e","v":-0}'],
  ["-0.0", '{"eventID":"e","v":-0.0}'],
  ["a trailing zero", '{"eventID":"e","v":1.50}'],
  ["0.0000001", '{"eventID":"e","v":0.0000001}'],
  ["more digits than a double keeps", '{"eventID":"e","v":123456789012345678901}'],
  ["a \\u escape", '{"eventID":"e","reportName":"\\u00e9"}'],
  ["an escaped slash", '{"eventID":"e","reportName":"a\\/b"}'],
  ["an escaped lone surrogate", '{"eventID":"e","reportName":"\\ud800"}'],
  ["a key given twice", '{"eventID":"e","reportName":"a","reportName":"b"}'],
  ["a key given twice, nested", '{"eventID":"e","r":[{"a":1,"b":2,"a":3}]}'],
  ["a key of digits (V8 puts it first)", '{"eventID":"e","7":1}'],
  ["a nested key of digits", '{"eventID":"e","r":{"b":1,"0":2}}'],
  [
    "one object of more keys than the scan compares (64)",
    JSON.stringify({ eventID: "e", r: Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i])) }),
  ],
];

describe("a report's stored JSON made from its request text", () => {
  it.each(canonical)("%s: the request's text is used, and it is what stringify writes", (_, value) => {
    const text = JSON.stringify(value);
    const { body, stored, stringified } = storedAndStringified(text);
    expect(parsedTextOf(body)).toBe(text);
    expect(stored).toBe(stringified);
  });

  it.each(other)("%s: not taken as stringify's text, stored as stringify writes it", (_, text) => {
    const { body, stored, stringified } = storedAndStringified(text);
    expect(parsedTextOf(body)).toBeUndefined();
    expect(stored).toBe(stringified);
  });

  it("a body with a VTN-owned field, or whose copy lost or changed a field, is serialised instead", () => {
    const text = '{"eventID":"e","id":"mine","reportName":"r"}';
    const body = parseJsonLimited(text, 8) as Record<string, unknown>;
    const { id: _, ...fields } = body;
    expect(jsonOf(joinedJson(head, fields, tail, body))).toBe(JSON.stringify({ ...head, ...fields, ...tail }));
    const plain = parseJsonLimited('{"eventID":"e","reportName":"r"}', 8) as Record<string, unknown>;
    const changed = { ...plain, reportName: "other" };
    expect(jsonOf(joinedJson(head, changed, tail, plain))).toBe(JSON.stringify({ ...head, ...changed, ...tail }));
    const reordered = { reportName: "r", eventID: "e" };
    expect(jsonOf(joinedJson(head, reordered, tail, plain))).toBe(JSON.stringify({ ...head, ...reordered, ...tail }));
  });

  it("any JSON object, as stringify writes it or indented, is stored as stringify writes it", () => {
    const objects = fc
      .dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 })
      .filter((o) => !JSON.stringify(o).includes("__proto__") && !JSON.stringify(o).includes("constructor"));
    fc.assert(
      fc.property(objects, fc.boolean(), (value, indent) => {
        const text = indent ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        const { stored, stringified } = storedAndStringified(text);
        expect(stored).toBe(stringified);
      }),
      { numRuns: 2000 },
    );
  });

  it("report-like objects with numbers of every kind are recognised as stringify's text", () => {
    const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.maxSafeInteger());
    const report = fc.record({
      eventID: fc.string({ unit: "grapheme" }),
      reportName: fc.string({ unit: "grapheme" }),
      resources: fc.array(
        fc.record({
          resourceName: fc.string(),
          intervals: fc.array(fc.record({ id: fc.nat(), values: fc.array(number) })),
        }),
      ),
    });
    fc.assert(
      fc.property(report, (value) => {
        const text = JSON.stringify(value);
        const { body, stored, stringified } = storedAndStringified(text);
        expect(parsedTextOf(body)).toBe(text);
        expect(stored).toBe(stringified);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("reports over HTTP: the answer and the stored report are what stringify writes", () => {
  const { t, a } = suiteVtn();
  let eventID: string;
  beforeAll(async () => {
    const programID = (await t.call(a.bl, "POST", "/programs", bodies.program("stored-json-program"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID))).body.id;
  });

  const post = async (text: string) => {
    const res = await fetch(`${t.url}/reports`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.ven1}`, "content-type": "application/json" },
      body: text,
    });
    return { status: res.status, text: await res.text() };
  };

  it.each([
    ["as stringify writes it", (e: string) => JSON.stringify(bodies.report(e, { reportName: 'Zähler ☃ "q"' }))],
    [
      "indented, with 2.50 and a \\u escape",
      (e: string) =>
        JSON.stringify(bodies.report(e), null, 2).replace('"test report"', '"t\\u00e9st"').replace("2.5", "2.50"),
    ],
  ])("%s: the 201 and the stored report are the stored object as stringify writes it", async (_, make) => {
    const text = make(eventID);
    const r = await post(text);
    expect(r.status).toBe(201);
    const answer = JSON.parse(r.text);
    const expected = JSON.stringify({
      id: answer.id,
      createdDateTime: answer.createdDateTime,
      modificationDateTime: answer.modificationDateTime,
      objectType: "REPORT",
      ...JSON.parse(text),
      clientID: t.vens[0].clientId,
    });
    expect(r.text).toBe(expected);
    // The list answers with the stored texts as they are.
    const list = await fetch(`${t.url}/reports?eventID=${eventID}&limit=50`, {
      headers: { authorization: `Bearer ${a.ven1}` },
    });
    expect(await list.text()).toContain(expected);
  });
});
