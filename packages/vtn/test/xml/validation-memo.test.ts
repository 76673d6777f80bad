// A schema remembers the texts it found valid (xsd.ts) and answers the same text again without
// libxml2. What must not change: an invalid text is refused every time, a text that differs by
// one character is validated afresh, and the guard's limits apply to a remembered text too.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { XmlInvalid, XmlRefused, XsdSchema } from "../../src/bindings/xml/index.ts";

const XSD = fileURLToPath(new URL("../../../model/spec/oadr20b/oadr_20b.xsd", import.meta.url));

const poll = (venID: string, extra = "") =>
  `<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject><oadr:oadrPoll ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:venID>${venID}</ei:venID>${extra}</oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`;

describe("validation of a text seen before", () => {
  const schema = XsdSchema.load(XSD);

  it("a valid text stays valid, however often it comes", () => {
    for (let i = 0; i < 3; i++) expect(schema.issues(poll("ven1"))).toEqual([]);
  });

  it("an invalid text is refused every time, naming the element", () => {
    const bad = poll("ven1", "<ei:venID>two</ei:venID>");
    for (let i = 0; i < 3; i++) {
      const issues = schema.issues(bad);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues[0].element).toBe("venID");
      expect(() => schema.validate(bad)).toThrow(XmlInvalid);
    }
  });

  it("a remembered valid text changed by one character is validated afresh", () => {
    const good = poll("ven2");
    expect(schema.issues(good)).toEqual([]);
    const broken = good.replace("<ei:venID>", "<ei:venId>").replace("</ei:venID>", "</ei:venId>");
    expect(broken.length).toBe(good.length);
    expect(schema.issues(broken)[0].element).toBe("venId");
  });

  it("the guard's limits still apply to a remembered text", () => {
    const good = poll("ven3");
    expect(schema.issues(good)).toEqual([]);
    expect(() => schema.issues(good, { maxBytes: 100, maxDepth: 64 })).toThrow(XmlRefused);
    expect(() => schema.issues(good, { maxBytes: 1 << 20, maxDepth: 2 })).toThrow(/nested deeper/);
    expect(schema.issues(good)).toEqual([]);
  });

  it("a remembered text is held to each call's limits exactly at their edge", () => {
    const good = poll("ven4"); // ASCII: its UTF-8 size is its length; 4 elements deep
    expect(schema.issues(good)).toEqual([]);
    expect(schema.issues(good, { maxBytes: good.length, maxDepth: 4 })).toEqual([]);
    expect(() => schema.issues(good, { maxBytes: good.length - 1, maxDepth: 4 })).toThrow(/larger than/);
    expect(() => schema.issues(good, { maxBytes: good.length, maxDepth: 3 })).toThrow(/nested deeper/);
    const wide = poll("vén4"); // é is two UTF-8 bytes: the size remembered is in bytes, not characters
    expect(schema.issues(wide)).toEqual([]);
    expect(() => schema.issues(wide, { maxBytes: wide.length, maxDepth: 4 })).toThrow(/larger than/);
    expect(schema.issues(wide, { maxBytes: wide.length + 1, maxDepth: 4 })).toEqual([]);
  });

  it("many distinct texts: each is still judged on its own (the memo is bounded)", () => {
    for (let i = 0; i < 3000; i++) expect(schema.issues(poll(`ven-${i}-${"x".repeat(3000)}`))).toEqual([]);
    expect(schema.issues(poll("ven-0", "<oadr:oadrPoll/>")).length).toBeGreaterThan(0);
  });
});
