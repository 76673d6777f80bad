// Hostile XML is refused before any parser or validator builds anything from it.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { guardXml, parseDom, parseXml, XmlRefused, XsdSchema } from "../../src/bindings/xml/index.ts";

const XSD = fileURLToPath(new URL("../../../model/spec/oadr20b/oadr_20b.xsd", import.meta.url));
const schema = XsdSchema.load(XSD);

function refusal(f: () => unknown): XmlRefused["reason"] | "accepted" {
  try {
    f();
    return "accepted";
  } catch (err) {
    if (err instanceof XmlRefused) return err.reason;
    throw err;
  }
}

const POLL = `<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject><oadr:oadrPoll ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:venID>ven1</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`;

const ATTACKS: [string, string, XmlRefused["reason"]][] = [
  [
    "an external entity (XXE) reading a local file",
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`,
    "doctype",
  ],
  [
    "an external entity fetching a URL",
    `<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]><r>&x;</r>`,
    "doctype",
  ],
  [
    "entity expansion (billion laughs)",
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`,
    "doctype",
  ],
  ["an external DTD", `<!DOCTYPE r SYSTEM "http://127.0.0.1:1/evil.dtd"><r/>`, "doctype"],
  ["a parameter entity", `<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><r/>`, "doctype"],
  ["deep nesting", `${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}`, "too-deep"],
  ["an oversize document", `<r>${"x".repeat(1024 * 1024 + 1)}</r>`, "too-large"],
  ["an unterminated comment", `<r><!-- never closed </r>`, "malformed"],
];

describe("XML attacks are refused", () => {
  for (const [name, text, reason] of ATTACKS) {
    it(`${name}: refused by the guard, the validator, the parser and the DOM (${reason})`, () => {
      expect(refusal(() => guardXml(text))).toBe(reason);
      expect(refusal(() => schema.issues(text))).toBe(reason);
      expect(refusal(() => parseXml(text))).toBe(reason);
      expect(refusal(() => parseDom(text))).toBe(reason);
    });
  }

  it("a DOCTYPE hidden after a comment is still refused", () => {
    expect(refusal(() => guardXml(`<!-- hi --><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>`))).toBe("doctype");
  });

  it("markup-like text in comments, CDATA and attribute values does not count as nesting", () => {
    const text = `<r a="<b><b>"><!-- <c><c><c> --><![CDATA[<d><d><d>]]><e/></r>`;
    expect(refusal(() => guardXml(text, { maxBytes: 1000, maxDepth: 2 }))).toBe("accepted");
    expect(guardXml(text, { maxBytes: 1000, maxDepth: 2 })).toEqual({ bytes: text.length, depth: 2 });
    expect(refusal(() => guardXml("<r><s><t/></s></r>", { maxBytes: 1000, maxDepth: 2 }))).toBe("too-deep");
    expect(refusal(() => guardXml("<r><s/><s></s></r>", { maxBytes: 1000, maxDepth: 2 }))).toBe("accepted");
  });

  it("limits are per call: a larger limit accepts what the default refuses", () => {
    const deep = `${"<a>".repeat(100)}${"</a>".repeat(100)}`;
    expect(refusal(() => guardXml(deep))).toBe("too-deep");
    expect(refusal(() => guardXml(deep, { maxBytes: 10_000, maxDepth: 128 }))).toBe("accepted");
  });

  it("an ordinary 2.0b message passes all of them, with its builtin entities decoded", () => {
    expect(schema.issues(POLL)).toEqual([]);
    const tree = parseXml(POLL.replace("ven1", "ven&amp;1"));
    expect(tree).toEqual({
      oadrPayload: { oadrSignedObject: { oadrPoll: { "@schemaVersion": "2.0b", venID: "ven&1" } } },
    });
  });

  it("text that is not XML is malformed, not a crash", () => {
    expect(schema.issues("{not: xml}")[0].message).toMatch(/./);
    expect(refusal(() => parseDom("<a><b></a>"))).toBe("malformed");
  });
});
