// Seeded mutations of XML messages for the fuzz tests (test/security/fuzz-xml-*.test.ts): on the
// DOM (an element dropped or duplicated, a value of the wrong type or huge, an element moved into
// another namespace, a signature or Id stripped, attributes changed) and on the text (cut short,
// a DOCTYPE, deep nesting, a byte changed). A seed makes a failure repeat.
import { DOMParser, type Element, type Node, XMLSerializer } from "@xmldom/xmldom";

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const VALUES = [
  "",
  " ",
  "abc",
  "-1",
  "0",
  "1.5",
  "1e999",
  "-1e999",
  "NaN",
  "true",
  "9".repeat(60),
  "x".repeat(300_000),
  "2023-02-30T25:61:00Z",
  "0001-01-01T00:00:00Z",
  "P-1D",
  "PT99999999999999999999S",
  "P1Y2M3DT4H5M6.7S",
  "<not-markup>",
  "&amp;&lt;",
  "' OR 1=1 --",
  "../../etc/passwd",
  "\u202e\ufeff\u00e9",
  "urn:x:y",
  "http://127.0.0.1:1/x",
];

const NAMESPACES = [
  "",
  "urn:bad",
  "http://openadr.org/oadr-2.0a/2012/07",
  "http://docs.oasis-open.org/ns/energyinterop/201110",
];

function elements(doc: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling)
      if (c.nodeType === 1) {
        out.push(c as Element);
        walk(c);
      }
  };
  walk(doc);
  return out;
}

const leaves = (els: Element[]) => els.filter((e) => !elements(e).length);

type DomMutation = (doc: ReturnType<DOMParser["parseFromString"]>, rnd: () => number) => void;

const DOM: Record<string, DomMutation> = {
  drop(doc, rnd) {
    const els = elements(doc).slice(1);
    if (els.length) {
      const e = pick(rnd, els);
      e.parentNode?.removeChild(e);
    }
  },
  duplicate(doc, rnd) {
    const els = elements(doc).slice(1);
    if (!els.length) return;
    const e = pick(rnd, els);
    const times = rnd() < 0.2 ? 200 : 1;
    for (let i = 0; i < times; i++) e.parentNode?.insertBefore(e.cloneNode(true), e.nextSibling);
  },
  wrongValue(doc, rnd) {
    const ls = leaves(elements(doc));
    if (ls.length) pick(rnd, ls).textContent = pick(rnd, VALUES);
  },
  badNamespace(doc, rnd) {
    const els = elements(doc);
    if (!els.length) return;
    const e = pick(rnd, els);
    const moved = doc.createElementNS(pick(rnd, NAMESPACES) || null, e.localName ?? "x");
    while (e.firstChild) moved.appendChild(e.firstChild);
    e.parentNode?.replaceChild(moved, e);
  },
  stripSignature(doc) {
    for (const e of elements(doc))
      if (e.localName === "Signature") e.parentNode?.removeChild(e);
      else if (e.hasAttribute("oadr:Id")) e.removeAttribute("oadr:Id");
  },
  attribute(doc, rnd) {
    const els = elements(doc);
    if (!els.length) return;
    const e = pick(rnd, els);
    if (rnd() < 0.5) e.setAttribute("ei:schemaVersion", pick(rnd, ["2.0a", "", "3.1", "x".repeat(1000)]));
    else e.setAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "xsi:nil", "true");
  },
  foreignChild(doc, rnd) {
    const els = elements(doc);
    if (!els.length) return;
    const child = doc.createElementNS(pick(rnd, NAMESPACES) || null, pick(rnd, ["x", "venID", "eiEvent", "Payload"]));
    child.textContent = pick(rnd, VALUES);
    pick(rnd, els).appendChild(child);
  },
};

const TEXT: Record<string, (xml: string, rnd: () => number) => string> = {
  truncate: (xml, rnd) => xml.slice(0, Math.floor(rnd() * xml.length)),
  doctype: (xml) =>
    `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>${xml.replace(/^<\?xml[^>]*>/, "")}`,
  deep: (xml) => `${"<x>".repeat(200)}${xml.replace(/^<\?xml[^>]*>/, "")}${"</x>".repeat(200)}`,
  byte: (xml, rnd) => {
    const i = Math.floor(rnd() * xml.length);
    return xml.slice(0, i) + pick(rnd, ["<", ">", "&", '"', "\u0000", "\uffff", "]]>", "<!--"]) + xml.slice(i + 1);
  },
  empty: () => "",
  notXml: () => '{"objectType":"EVENT"}',
};

/** One to three mutations of `xml`; the names of what was done come back for failure messages. */
export function mutate(xml: string, rnd: () => number): { text: string; done: string[] } {
  const done: string[] = [];
  let text = xml;
  const n = 1 + Math.floor(rnd() * 3);
  const domNames = Object.keys(DOM);
  const textNames = Object.keys(TEXT);
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.8) {
      const name = pick(rnd, domNames);
      let doc: ReturnType<DOMParser["parseFromString"]>;
      try {
        doc = new DOMParser({ onError: () => undefined }).parseFromString(text, "text/xml");
      } catch {
        continue; // no longer XML after an earlier text mutation
      }
      if (!doc.documentElement) continue;
      DOM[name](doc, rnd);
      text = new XMLSerializer().serializeToString(doc);
      done.push(name);
    } else {
      const name = pick(rnd, textNames);
      text = TEXT[name](text, rnd);
      done.push(name);
    }
  }
  return { text, done };
}

/** What must never be in an answer: a stack trace or a runtime's own error text. */
export const STACK = /\n\s+at \S+ \(|\bat .+\.(?:ts|js|mjs):\d+|TypeError|ReferenceError|SyntaxError: Unexpected/;
