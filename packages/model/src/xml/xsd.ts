// XSD validation with libxml2 (compiled to WebAssembly by libxml2-wasm: no native build, no
// download; the same library as Debian's xmllint, which test/xml checks it against).
// A schema is compiled once (about 100 ms for oadr_20b.xsd with its imports) and then validates
// a message in a fraction of a millisecond (a 38 kB oadrUpdateReport: about 3 ms).
//
// Whether a text is valid depends on its characters and the schema alone, so a schema remembers
// the texts it found valid (bounded: VALID_MEMO_* below) and answers the same text again without
// handing it to libxml2: a pull VEN sends the same oadrPoll bytes every time, and the VTN renders
// the same reply bytes for the same state. The guard (size, DTD, depth) runs on every call, with
// that call's limits; only texts found valid are remembered, so every refusal is libxml2's own.
// A remembered text keeps what the guard measured of it (UTF-8 size, deepest nesting): the guard's
// verdict on the same characters is a function of those two and the limits, so a text seen before
// is checked against the call's limits from them, without a second pass over it.

import { readFileSync } from "node:fs";
import { ParseOption, XmlDocument, XmlLibError, XsdValidator } from "libxml2-wasm";
import { xmlRegisterFsInputProviders } from "libxml2-wasm/lib/nodejs.mjs";
import { XmlInvalid, type XsdIssue } from "./errors.ts";
import { DEFAULT_LIMITS, guardXml, type XmlLimits, type XmlShape, xmlText } from "./guard.ts";
import type { XmlNode } from "./parse.ts";
import { treeOf } from "./tree.ts";

let fsRegistered = false;

/** No network, no entity substitution, no DTD loading: the guard has refused DTDs already. */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET;

/** Texts up to this many characters are remembered once found valid... */
const VALID_MEMO_MAX_TEXT = 64 * 1024;
/** ...up to this many characters in all (oldest forgotten first). */
const VALID_MEMO_MAX_TOTAL = 8 * 1024 * 1024;

export class XsdSchema {
  /** Texts found valid, oldest first (a Map keeps insertion order); their total length. */
  private readonly valid = new Map<string, XmlShape>();
  private validChars = 0;

  private constructor(
    private readonly validator: XsdValidator,
    readonly file: string,
  ) {}

  /** Compiles the schema at `file`; its xs:import/xs:include are read from beside it. */
  static load(file: string): XsdSchema {
    // Imports are resolved through libxml2-wasm's input providers; registered once per process.
    if (!fsRegistered) fsRegistered = xmlRegisterFsInputProviders() || true;
    const doc = XmlDocument.fromBuffer(readFileSync(file), { url: file, option: PARSE_OPTIONS });
    try {
      return new XsdSchema(XsdValidator.fromDoc(doc), file);
    } finally {
      doc.dispose();
    }
  }

  /** The schema violations of `text` ([] when valid). Guards the text first (throws XmlRefused). */
  issues(input: string | Uint8Array, limits: XmlLimits = DEFAULT_LIMITS): XsdIssue[] {
    return this.check(xmlText(input), limits).issues;
  }

  /**
   * Validates as `validate` does (throws XmlRefused or XmlInvalid) and gives the text's tree as
   * parseXml would (tree.ts), read from the document the validation parsed; undefined when the
   * text was found valid from memory, unparsed, or holds what tree.ts cannot read (the caller
   * parses it then).
   */
  read(input: string | Uint8Array, limits: XmlLimits, arrays: ReadonlySet<string>): XmlNode | undefined {
    const { issues, tree } = this.check(xmlText(input), limits, arrays);
    if (issues.length > 0) throw new XmlInvalid(issues);
    return tree;
  }

  private check(text: string, limits: XmlLimits, arrays?: ReadonlySet<string>): { issues: XsdIssue[]; tree?: XmlNode } {
    const known = this.valid.get(text);
    if (known && known.bytes <= limits.maxBytes && known.depth <= limits.maxDepth) return { issues: [] };
    const shape = guardXml(text, limits);
    let doc: XmlDocument;
    try {
      // The text is decoded already: its declaration's encoding (e.g. UTF-16) no longer applies.
      doc = XmlDocument.fromString(text, { option: PARSE_OPTIONS, encoding: "utf-8" });
    } catch (err) {
      return { issues: issuesOf(err, "not well-formed XML") };
    }
    try {
      try {
        this.validator.validate(doc);
      } catch (err) {
        return { issues: issuesOf(err, "not valid against the schema") };
      }
      this.remember(text, shape);
      return { issues: [], tree: arrays ? treeOf(doc, arrays) : undefined };
    } finally {
      doc.dispose();
    }
  }

  /** Throws XmlRefused or XmlInvalid (whose message names the first failing element). */
  validate(text: string | Uint8Array, limits: XmlLimits = DEFAULT_LIMITS): void {
    const found = this.issues(text, limits);
    if (found.length > 0) throw new XmlInvalid(found);
  }

  private remember(text: string, shape: XmlShape): void {
    if (text.length > VALID_MEMO_MAX_TEXT) return;
    this.valid.set(text, shape);
    this.validChars += text.length;
    for (const old of this.valid.keys()) {
      if (this.validChars <= VALID_MEMO_MAX_TOTAL) break;
      this.valid.delete(old);
      this.validChars -= old.length;
    }
  }

  dispose(): void {
    this.validator.dispose();
  }
}

function issuesOf(err: unknown, fallback: string): XsdIssue[] {
  if (!(err instanceof XmlLibError) || err.details.length === 0) return [{ message: fallback, line: 0 }];
  return err.details.map((d) => {
    const named = /^Element '(?:\{[^}]*\})?([^']+)'/.exec(d.message);
    return {
      message: d.message.trim(),
      element: named?.[1],
      path: d.xpath,
      line: d.line,
    };
  });
}
