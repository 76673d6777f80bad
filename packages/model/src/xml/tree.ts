// The object tree of parse.ts (parseXml), read from a document libxml2 has parsed already — the
// one XSD validation parsed (xsd.ts `read`) — instead of parsing the text a second time with
// fast-xml-parser: for a 38 kB oadrUpdateReport, walking libxml2's tree took about 0.6 ms against
// fast-xml-parser's 2.2 ms for the text (bench/RESULTS.md, issue 10). The shape is parseXml's,
// element for element (packages/vtn/test/xml/tree-from-validation.test.ts compares the two on
// every valid example message and on each shape): local names (prefixes dropped); attributes as
// `@name`, their values trimmed, namespace declarations left out; text as `#text` beside
// attributes or children, or as the element's value when it has neither (each text node trimmed,
// CDATA as written, the pieces joined; "" for an empty element); repeated names, and those in
// `arrays`, as arrays; comments and processing instructions left out.
import { XmlCData, type XmlDocument, XmlElement, XmlText } from "libxml2-wasm";
import type { XmlNode, XmlValue } from "./parse.ts";

/**
 * The tree of `doc`, as parseXml gives it: one key, the root element's local name. Undefined for
 * a document with a processing instruction inside an element (libxml2-wasm gives such a node no
 * way to its next sibling): the caller parses the text then.
 */
export function treeOf(doc: XmlDocument, arrays: ReadonlySet<string>): XmlNode | undefined {
  const root = doc.root;
  try {
    return { [root.name]: elementValue(root, arrays) };
  } catch (err) {
    if (err === UNREADABLE) return undefined;
    throw err;
  }
}

const UNREADABLE = new Error("a node without a next sibling's link");

function elementValue(el: XmlElement, arrays: ReadonlySet<string>): XmlValue {
  const out: XmlNode = {};
  let fields = 0;
  for (const a of el.attrs) {
    out[`@${a.name}`] = a.value.trim(); // as parseXml (trimValues)
    fields++;
  }
  // As parseXml: each text node trimmed, CDATA as it is, the pieces joined.
  let text = "";
  for (let c = el.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) {
      const name = c.name;
      const v = elementValue(c, arrays);
      const had = out[name];
      if (had === undefined) out[name] = arrays.has(name) ? [v] : v;
      else if (Array.isArray(had)) had.push(v);
      else out[name] = [had, v];
      fields++;
    } else if (c instanceof XmlCData) text += c.content;
    else if (c instanceof XmlText) text += c.content.trim();
    else if (!("next" in c)) throw UNREADABLE;
  }
  if (fields === 0) return text;
  if (text !== "") out["#text"] = text;
  return out;
}
