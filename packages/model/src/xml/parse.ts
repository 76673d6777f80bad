// XML text -> plain objects for a binding to read (fast-xml-parser), after the guard.
// Namespace prefixes are dropped: the senders' prefixes vary (oadr:, p1:, none) and a message is
// checked against its XSD first, which pins down which namespace each local name is in.

import { DOMParser } from "@xmldom/xmldom";
import { XMLParser } from "fast-xml-parser";
import { XmlRefused } from "./errors.ts";
import { DEFAULT_LIMITS, guardXml, type XmlLimits, xmlText } from "./guard.ts";

/** An element: child elements by local name, attributes as `@name`, text as `#text`. */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

export interface ParseXmlOptions {
  limits?: XmlLimits;
  /** Local names of elements that may repeat: always arrays, even with one occurrence. */
  arrays?: ReadonlySet<string>;
}

const XML_ENTITIES = { amp: "&", apos: "'", gt: ">", lt: "<", quot: '"' };

const parsers = new WeakMap<ReadonlySet<string>, XMLParser>();
const NO_ARRAYS: ReadonlySet<string> = new Set();

function parserFor(arrays: ReadonlySet<string>, maxDepth: number): XMLParser {
  const known = parsers.get(arrays);
  if (known) return known;
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#text",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    // The five entities XML predefines, and character references (&#233; &#x263A;), which XML
    // 1.0 §4.1 says are the characters they name; given as an object, fast-xml-parser decodes
    // numeric references and these names only (true would add HTML's names, false leaves
    // numeric references as they are written). Its types say boolean; its parser takes an
    // object of names too (OrderedObjParser: `typeof htmlEntities === "object"`).
    htmlEntities: XML_ENTITIES as unknown as boolean,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
    jPath: false,
    isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && arrays.has(name),
  });
  parsers.set(arrays, parser);
  return parser;
}

/** Parses guarded text to an object tree whose one key is the root element's local name. */
export function parseXml(input: string | Uint8Array, options: ParseXmlOptions = {}): XmlNode {
  const text = xmlText(input);
  const limits = options.limits ?? DEFAULT_LIMITS;
  guardXml(text, limits);
  try {
    return parserFor(options.arrays ?? NO_ARRAYS, limits.maxDepth).parse(text) as XmlNode;
  } catch (err) {
    throw new XmlRefused("malformed", `not well-formed XML: ${(err as Error).message}`);
  }
}

/** A W3C DOM of guarded text, for what needs one (XML signatures: canonicalisation, references). */
export function parseDom(input: string | Uint8Array, limits: XmlLimits = DEFAULT_LIMITS): Document {
  const text = xmlText(input);
  guardXml(text, limits);
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") problems.push(message);
      },
    }).parseFromString(text, "text/xml");
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0) throw new XmlRefused("malformed", `not well-formed XML: ${problems[0]}`);
  return doc as unknown as Document;
}

/** Children of `node` named `name` as an array (absent -> []), for elements not listed in `arrays`. */
export function childrenOf(node: XmlValue | undefined, name: string): XmlValue[] {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) return [];
  const v = node[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The text of a leaf element (or of its `#text` when it has attributes); undefined when absent. */
export function textOf(node: XmlValue | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === "string") return node;
  if (Array.isArray(node)) return textOf(node[0]);
  const t = node["#text"];
  return typeof t === "string" ? t : t === undefined && Object.keys(node).length === 0 ? "" : undefined;
}
