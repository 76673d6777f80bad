// Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self time, and the top
// packages/files by self time, as a share of the samples.
//   npx tsx bench/support/profile-top.ts <file.cpuprofile> [--top 30]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file] = process.argv.slice(2);
const topArg = process.argv.indexOf("--top");
const TOP = topArg > 0 ? Number(process.argv[topArg + 1]) : 30;
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
for (const s of profile.samples) self.set(s, (self.get(s) ?? 0) + 1);
const total = profile.samples.length;
const fn = new Map<string, number>();
const where = new Map<string, number>();
for (const [id, hits] of self) {
  const { functionName, url, lineNumber } = (byId.get(id) as Node).callFrame;
  const short = url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, "$1/");
  fn.set(
    `${functionName || "(anon)"} ${short}:${lineNumber + 1}`,
    (fn.get(`${functionName || "(anon)"} ${short}:${lineNumber + 1}`) ?? 0) + hits,
  );
  const area =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(short)?.[1] ??
    (short.startsWith("packages/") ? short : short || functionName);
  where.set(area, (where.get(area) ?? 0) + hits);
}
// Total (inclusive) time of our own functions: each sample counts once for every distinct
// packages/ function on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `${functionName || "(anon)"} ${url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, "$1/")}:${lineNumber + 1}`;
};
const inclusive = new Map<string, number>();
for (const [id, hits] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at) as Node;
    if (!n.callFrame.url.includes("/packages/")) continue;
    seen.add(label(n));
  }
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + hits);
}
// Each sample charged to the innermost packages/ function on its stack (the library work it called).
const nearest = new Map<string, number>();
for (const [id, hits] of self) {
  let k = "(no packages/ frame)";
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at) as Node;
    if (n.callFrame.url.includes("/packages/")) {
      k = label(n);
      break;
    }
    if (at === id && n.callFrame.functionName === "(idle)") {
      k = "(idle)";
      break;
    }
  }
  nearest.set(k, (nearest.get(k) ?? 0) + hits);
}
process.stdout.on("error", () => {});
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    process.stdout.write(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}\n`);
};
print(`${total} samples; by function (self):`, fn);
print("by package or file (self):", where);
print("our functions by total (inclusive) time:", inclusive);
print("charged to the innermost packages/ function:", nearest);
