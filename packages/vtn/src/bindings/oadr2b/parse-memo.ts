// Each inbound message's check against the XSD and its tree (validatedMessage), and the parsed
// tree of the small messages a VEN sends again and again — an oadrPoll is the same
// bytes on every poll — kept by their exact text. Parsing (the guard included) is a function of
// the text and of the fixed limits and repeating names only, so the same text gives the same
// tree. Trees are frozen, so no handler can change what the next request is given.
import { LRUCache } from "lru-cache";
import { parseXml, type XmlLimits, type XmlNode, type XsdSchema } from "../xml/index.ts";
import { REPEATING } from "./wire.ts";

/** Texts up to this many characters are remembered (an oadrPoll is ~400, an acknowledgement ~1,000). */
const MAX_TEXT = 2048;
/**
 * One memo per limits, keyed by the text itself: the XSD check looked the same string up before
 * (xml/xsd.ts), so its hash is computed already; a key made of the limits and the text was a new
 * string to flatten and hash on every request.
 */
const memos = new Map<string, LRUCache<string, XmlNode>>();

function memoOf(limits: XmlLimits): LRUCache<string, XmlNode> {
  const key = `${limits.maxDepth}:${limits.maxBytes}`;
  let memo = memos.get(key);
  if (!memo) {
    memo = new LRUCache<string, XmlNode>({ max: 10_000 });
    memos.set(key, memo);
  }
  return memo;
}

function frozen<T>(v: T): T {
  if (v && typeof v === "object") {
    for (const child of Object.values(v)) frozen(child);
    Object.freeze(v);
  }
  return v;
}

/**
 * Checks `text` against oadr_20b.xsd (throws XmlRefused or XmlInvalid) and gives its tree, as
 * parseXml(text) with the binding's limits and repeating names: small texts parsed once and
 * remembered; larger ones (reports, opt schedules) read from the document the validation parsed
 * (xml/tree.ts), not parsed a second time.
 */
export function validatedMessage(schema: XsdSchema, text: string, limits: XmlLimits): XmlNode {
  if (text.length <= MAX_TEXT) {
    schema.validate(text, limits);
    return parseMessage(text, limits);
  }
  return schema.read(text, limits, REPEATING) ?? parseXml(text, { limits, arrays: REPEATING });
}

/** parseXml(text) with the binding's limits and repeating names; small texts parsed once. */
export function parseMessage(text: string, limits: XmlLimits): XmlNode {
  if (text.length > MAX_TEXT) return parseXml(text, { limits, arrays: REPEATING });
  const memo = memoOf(limits);
  const known = memo.get(text);
  if (known) return known;
  const tree = frozen(parseXml(text, { limits, arrays: REPEATING }));
  memo.set(text, tree);
  return tree;
}
