// A bounded fuzz over every operation of the served OpenAPI document (issue 15 "Tests and
// figures"): odd path ids, junk query values and bodies of the wrong shape, sent by the BL and by
// a VEN. Whatever is wrong must be a 4xx problem, never a 5xx. Seeded, so a failure repeats.
import { type Actors, actors, bodies, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK: unknown[] = [
  null,
  true,
  -1,
  0,
  1e308,
  -0,
  "",
  " ",
  "x".repeat(5000),
  "2023-02-30T00:00:00Z",
  "P99999999D",
  "PT99999999999999999999S",
  "\u0000\r\n",
  "../../etc/passwd",
  [],
  [null],
  Array.from({ length: 2000 }, (_, i) => `t${i}`),
  {},
  { __proto__x: 1 },
  { nested: { deeper: [1, { a: "b" }] } },
];

const QUERY_JUNK = ["", "-1", "1.5", "0x10", "abc", "9".repeat(40), "%", "true", "[]", "a".repeat(300)];
const IDS = ["x", "a".repeat(129), "%00", "..", "%zz", "0", "' OR 1=1 --"];

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
type Json = any;

function resolve(doc: Json, schema: Json): Json {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++)
    s = s.$ref
      .split("/")
      .slice(1)
      .reduce((o: Json, k: string) => o?.[k], doc);
  return s;
}

/** Bodies of roughly the right shape with one property made wrong, and wholly wrong ones. */
function bodiesFor(doc: Json, schema: Json, rnd: () => number, n: number): unknown[] {
  const s = resolve(doc, schema);
  const props = Object.keys(s?.properties ?? {});
  for (const part of s?.allOf ?? []) props.push(...Object.keys(resolve(doc, part)?.properties ?? {}));
  const out: unknown[] = [null, [], "text", 42, {}];
  for (let i = 0; i < n; i++) {
    const o: Record<string, unknown> = {};
    for (const p of props) if (rnd() < 0.6) o[p] = JUNK[Math.floor(rnd() * JUNK.length)];
    out.push(o);
  }
  return out;
}

describe("the served OpenAPI document under fuzzing", () => {
  let t: TestVtn;
  let a: Actors;
  let doc: Json;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestVtn({ clientRateLimitPerSecond: 0 });
    a = await actors(t);
    doc = (await t.call(undefined, "GET", "/openapi.json")).body;
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("fuzz-program"))).body;
    ids.programID = p.id;
    ids.eventID = (await t.call(a.bl, "POST", "/events", bodies.event(p.id, { targets: ["demo"] }))).body.id;
    ids.venID = t.vens[0].venID;
  }, 30_000);
  afterAll(() => t.close());

  it("answers no 5xx to any of them", async () => {
    const rnd = prng(15);
    const failures: string[] = [];
    let sent = 0;
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        if (!["get", "post", "put", "delete"].includes(method)) continue;
        // The token endpoint has its own tests; /gridlink/changes is a stream that stays open.
        if (path.startsWith("/auth/token") || path === "/gridlink/changes") continue;
        const params: Json[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(doc, p));
        const queryNames = params.filter((p) => p?.in === "query").map((p) => p.name as string);
        const pathsToTry = path.includes("{")
          ? [...IDS, ...Object.values(ids)].map((id) =>
              path.replace(/\{[^}]+\}/g, encodeURIComponent(id).replace(/%25/g, "%")),
            )
          : [path];
        const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
        const bodyCases = bodySchema ? bodiesFor(doc, bodySchema, rnd, 12) : [undefined];
        for (const token of [a.bl, a.ven1]) {
          for (const p of pathsToTry.slice(0, 10)) {
            const queries = [""];
            for (let i = 0; i < 4 && queryNames.length > 0; i++) {
              const q = new URLSearchParams();
              for (const name of queryNames)
                if (rnd() < 0.5) q.append(name, QUERY_JUNK[Math.floor(rnd() * QUERY_JUNK.length)]);
              queries.push(`?${q}`);
            }
            for (const q of method === "get" ? queries : [""])
              for (const body of method === "post" || method === "put" ? bodyCases : [undefined]) {
                const res = await fetch(`${t.url}${p}${q}`, {
                  method: method.toUpperCase(),
                  headers: {
                    authorization: `Bearer ${token}`,
                    ...(body === undefined ? {} : { "content-type": "application/json" }),
                  },
                  body: body === undefined ? undefined : JSON.stringify(body),
                  signal: AbortSignal.timeout(5000),
                }).catch((err: Error) => ({ status: 599, arrayBuffer: async () => err.message }));
                await res.arrayBuffer();
                sent++;
                if (res.status >= 500)
                  failures.push(
                    `${method.toUpperCase()} ${p}${q} ${JSON.stringify(body)?.slice(0, 200)} -> ${res.status}`,
                  );
              }
          }
        }
      }
    }
    if (process.env.FUZZ_REPORT) console.log(`fuzz: ${sent} requests`);
    expect(sent).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 120_000);
});
