// The tree read from the document XSD validation parsed (model/src/xml/tree.ts, XsdSchema.read)
// is parseXml's tree of the same text, for every example message of the spec, for a day of
// report intervals with a signature-like base64 block, and for the shapes parseXml gives
// (attributes, namespace declarations, CDATA, entities, comments, empty and repeated elements).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XmlDocument } from "libxml2-wasm";
import { describe, expect, it } from "vitest";
import { treeOf } from "../../../model/src/xml/tree.ts";
import { oadr20bSchema } from "../../src/bindings/oadr2b/schema-file.ts";
import { REPEATING } from "../../src/bindings/oadr2b/wire.ts";
import { parseXml, xmlText } from "../../src/bindings/xml/index.ts";

const EXAMPLES = fileURLToPath(new URL("../../../model/spec/oadr20b/examples/", import.meta.url));
const LIMITS = { maxBytes: 1024 * 1024, maxDepth: 48 };
const NS =
  'xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0" xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream"';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith(".xml") ? [p] : [];
  });
}

/** A bare message root goes into an oadrPayload, as on the wire. */
function asWire(text: string): string {
  const body = text.replace(/^\s*<\?xml[^>]*\?>/, "");
  if (/^\s*<([\w-]+:)?oadrPayload[\s>]/.test(body)) return body;
  return `<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject>${body}</oadr:oadrSignedObject></oadr:oadrPayload>`;
}

function updateReport(n: number): string {
  const intervals = Array.from(
    { length: 96 },
    (_, k) =>
      `<ei:interval>\n  <xcal:dtstart><xcal:date-time>${new Date(Date.UTC(2030, 0, 1) + k * 900_000).toISOString()}</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT15M</xcal:duration></xcal:duration><oadr:oadrReportPayload><ei:rID>meter&amp;1</ei:rID><ei:payloadFloat><ei:value> ${(k % 37) / 10} </ei:value></ei:payloadFloat><oadr:oadrDataQuality>Quality Good - Non Specific</oadr:oadrDataQuality></oadr:oadrReportPayload></ei:interval>`,
  ).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<oadr:oadrPayload ${NS}><!-- a comment --><oadr:oadrSignedObject><oadr:oadrUpdateReport ei:schemaVersion="2.0b"><pyld:requestID>up-${n}</pyld:requestID><oadr:oadrReport><strm:intervals>${intervals}</strm:intervals><ei:eiReportID><![CDATA[r-${n}]]></ei:eiReportID><ei:reportRequestID>rr-1</ei:reportRequestID><ei:reportSpecifierID>spec&#x5f;usage</ei:reportSpecifierID><ei:reportName>TELEMETRY_USAGE</ei:reportName><ei:createdDateTime>2030-01-02T00:00:00Z</ei:createdDateTime></oadr:oadrReport><ei:venID>ven-1</ei:venID></oadr:oadrUpdateReport></oadr:oadrSignedObject></oadr:oadrPayload>`;
}

describe("the tree read from the validated document", () => {
  const schema = oadr20bSchema();
  const valid: Array<[string, string]> = [];
  for (const file of filesUnder(EXAMPLES)) {
    const text = asWire(xmlText(readFileSync(file)));
    if (schema.issues(text, LIMITS).length === 0) valid.push([file.slice(EXAMPLES.length), text]);
  }

  it("covers the valid examples", () => {
    expect(valid.length).toBeGreaterThanOrEqual(30);
  });

  it.each(valid)("%s: the same tree as parseXml", (_, text) => {
    // `text` itself was found valid above and would be answered from memory, unparsed.
    const fresh = `${text}\n`;
    const tree = schema.read(fresh, LIMITS, REPEATING);
    expect(schema.read(fresh, LIMITS, REPEATING)).toBeUndefined();
    expect(tree).toEqual(parseXml(fresh, { limits: LIMITS, arrays: REPEATING }));
  });

  it("a day of 96 report intervals (entities, CDATA, character references, comments, whitespace)", () => {
    const text = updateReport(7);
    const tree = schema.read(text, LIMITS, REPEATING);
    expect(tree).toBeDefined();
    expect(tree).toEqual(parseXml(text, { limits: LIMITS, arrays: REPEATING }));
  });

  it("refuses what validate refuses, with the schema's words", () => {
    const bad = updateReport(8).replace("<ei:reportName>", "<ei:bogus>1</ei:bogus><ei:reportName>");
    expect(() => schema.read(bad, LIMITS, REPEATING)).toThrow(/bogus/);
  });

  const shapes: Record<string, string> = {
    "attributes, prefixed attributes and namespace declarations": `<a:r xmlns:a="urn:a" xmlns:x="urn:x" id="1" x:t="two"><a:c k="v">text</a:c><a:c/><a:d x:only="yes"/></a:r>`,
    "a default namespace, xml:lang, spaces and entities in attribute values": `<r xmlns="urn:d" xml:lang="en"><c a="  x &amp; y  " b="&#233;">t</c></r>`,
    "repeated and listed names": `<r><interval>1</interval><interval>2</interval><eiTarget><venID>v</venID></eiTarget><x><y>1</y></x><x><y>2</y><y>3</y></x></r>`,
    "text beside children, trimmed": `<r>\n  head <c>1</c> tail \n</r>`,
    "entities, character references, CDATA": `<r><a>&lt;&amp;&gt;&quot;&apos;</a><b>&#233;&#x263A;</b><c><![CDATA[ <x> & ]]></c><d>a<![CDATA[b]]>c</d></r>`,
    "comments, and processing instructions outside the root": `<?xml version="1.0"?><!-- c --><?pi x?><r><a><!-- in -->v</a></r>`,
    "empty and whitespace-only elements": `<r><a></a><b>   </b><c/></r>`,
  };
  it("character references are the characters they name (XML 1.0 §4.1), CDATA is as written", () => {
    expect(parseXml("<r><a>caf&#233; &#x263A;</a><b><![CDATA[&#233; ]]></b></r>")).toEqual({
      r: { a: "café ☺", b: "&#233; " },
    });
  });

  it("a processing instruction inside an element: no tree (libxml2-wasm gives it no next sibling), the caller parses", () => {
    const doc = XmlDocument.fromString("<r><?pi x?><a>v</a></r>");
    try {
      expect(treeOf(doc, REPEATING)).toBeUndefined();
    } finally {
      doc.dispose();
    }
  });

  it.each(Object.entries(shapes))("%s: the same tree as parseXml", (_, text) => {
    const doc = XmlDocument.fromString(text);
    try {
      expect(treeOf(doc, REPEATING)).toEqual(parseXml(text, { arrays: REPEATING }));
    } finally {
      doc.dispose();
    }
  });
});
