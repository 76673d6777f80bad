// Plain objects -> XML text (fast-xml-parser's builder). Names keep the prefixes the caller gives;
// the root element carries the xmlns declarations as `@xmlns:...` attributes.

import { XMLBuilder } from "fast-xml-parser";
import type { XmlNode } from "./parse.ts";

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  processEntities: true,
  format: false,
});

/** Serialises `tree` (one root key) with an XML declaration. `undefined` children are left out. */
export function buildXml(tree: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(tree)}`;
}

/** Escapes text for element content or a double-quoted attribute, for hand-written fragments. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };
