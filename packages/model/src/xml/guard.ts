// The first look at untrusted XML, before any parser: a size limit, no document type declaration
// at all (so no external entities, no entity expansion: "billion laughs" needs a DTD), and a
// nesting depth limit. One linear pass over the text; it only counts, it builds nothing.

import { XmlRefused } from "./errors.ts";

export interface XmlLimits {
  /** Largest accepted document in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest accepted element nesting (the root element is depth 1). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: XmlLimits = { maxBytes: 1024 * 1024, maxDepth: 64 };

/** Text of an XML document given as bytes: UTF-16 when it starts with a UTF-16 byte order mark,
 * otherwise UTF-8 (the encoding 2.0b and 61968-100 messages use). A leading BOM is dropped. */
export function xmlText(input: string | Uint8Array): string {
  if (typeof input === "string") return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const b0 = input[0];
  const b1 = input[1];
  const encoding = b0 === 0xff && b1 === 0xfe ? "utf-16le" : b0 === 0xfe && b1 === 0xff ? "utf-16be" : "utf-8";
  return new TextDecoder(encoding).decode(input); // TextDecoder drops the BOM itself
}

/** What the guard measured of a text it let through: its UTF-8 size and deepest nesting. */
export interface XmlShape {
  bytes: number;
  depth: number;
}

/** Throws XmlRefused unless `text` is within `limits`; returns what it measured. */
export function guardXml(text: string, limits: XmlLimits = DEFAULT_LIMITS): XmlShape {
  // A UTF-8 byte is at least a UTF-16 unit's worth: the cheap test rules out most texts.
  const bytes = text.length > limits.maxBytes ? text.length : Buffer.byteLength(text, "utf8");
  if (bytes > limits.maxBytes) throw new XmlRefused("too-large", `document larger than ${limits.maxBytes} bytes`);
  let depth = 0;
  let deepest = 0;
  let i = text.indexOf("<");
  while (i !== -1) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith("<!--", i)) i = skipPast(text, i + 4, "-->");
      else if (text.startsWith("<![CDATA[", i)) i = skipPast(text, i + 9, "]]>");
      // <!DOCTYPE, <!ENTITY, <!ELEMENT ...: no 2.0b or CIM message has one; refusing them whole
      // is what makes entity attacks impossible rather than merely limited.
      else throw new XmlRefused("doctype", "document type declarations (DOCTYPE, ENTITY) are not accepted");
    } else if (next === 0x3f /* ? */) {
      i = skipPast(text, i + 2, "?>");
    } else if (next === 0x2f /* / */) {
      depth--;
      i = skipPast(text, i + 2, ">");
    } else {
      const end = endOfTag(text, i + 1);
      const selfClosing = text.charCodeAt(end - 1) === 0x2f;
      const level = depth + 1;
      if (level > limits.maxDepth) throw new XmlRefused("too-deep", `elements nested deeper than ${limits.maxDepth}`);
      if (level > deepest) deepest = level;
      if (!selfClosing) depth = level;
      i = end + 1;
    }
    i = text.indexOf("<", i);
  }
  return { bytes, depth: deepest };
}

function skipPast(text: string, from: number, marker: string): number {
  const at = text.indexOf(marker, from);
  if (at === -1) throw new XmlRefused("malformed", `unterminated markup: expected "${marker}"`);
  return at + marker.length;
}

/** Index of the `>` closing a start tag, stepping over quoted attribute values (which may hold `>`). */
function endOfTag(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return j;
  }
  throw new XmlRefused("malformed", "unterminated start tag");
}
