// 3.0.1 list answers are bounded by bytes as the 3.1 ones are (issue 15, hole 4: 50 reports of
// ~900 KB made 32 MB answers that froze the VTN): an answer over listMaxBytes ends early, always
// with at least one object, and its Link rel="next" names the rest on the 3.0.1 path.
import { type Actors, actors, bodies, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base301, call301 } from "./support.ts";

const LIMIT = 65_536;
/** About 40 KB of JSON: two do not fit in one answer of LIMIT bytes. */
const bulk = () => Array.from({ length: 5_000 }, (_, i) => 1.2345 + i);

describe("3.0.1 list answers bounded by bytes", () => {
  let t: TestVtn;
  let a: Actors;
  let eventID: string;
  let c301: ReturnType<typeof call301>;

  /** Follows Link rel="next" from `path`; the page sizes and the links seen. */
  async function pages(tok: string, path: string): Promise<{ sizes: number[]; links: string[] }> {
    const sizes: number[] = [];
    const links: string[] = [];
    let url: string | undefined = `${base301(t)}${path}`;
    while (url && sizes.length < 10) {
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${tok}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      const page = JSON.parse(text) as unknown[];
      // Within the bound, unless one object alone is larger (an answer carries at least one).
      expect(Buffer.byteLength(text) <= LIMIT || page.length === 1).toBe(true);
      sizes.push(page.length);
      const next: string | undefined = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
      if (next) links.push(next);
      url = next ? new URL(next, url).href : undefined;
    }
    return { sizes, links };
  }

  beforeAll(async () => {
    t = await startTestVtn({ listMaxBytes: LIMIT });
    a = await actors(t);
    c301 = call301(t);
    const programID = (await t.call(a.bl, "POST", "/programs", bodies.program("size-301"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID, { targets: ["demo"] }))).body.id;
    for (let i = 0; i < 3; i++) {
      const r = bodies.report(eventID, { clientName: `size-${i}` });
      r.resources[0].intervals[0].payloads[0].values = bulk();
      expect((await t.call(a.ven1, "POST", "/reports", r)).status).toBe(201);
      const res = bodies.resource(`big-${i}`, t.vens[0].venID, { attributes: [{ type: "BULK", values: bulk() }] });
      const made = await t.call(a.ven1, "POST", "/resources", res);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
  });
  afterAll(() => t.close());

  it("GET /reports?eventID=…&limit=50 answers one report a page, linking to the next", async () => {
    const { sizes, links } = await pages(a.bl, `/reports?eventID=${eventID}&limit=50`);
    expect(sizes).toEqual([1, 1, 1]);
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^\/openadr3\/3\.0\.1\/reports\?/);
    expect(links[0]).toContain("skip=1");
    expect(links[1]).toContain("skip=2");
    // A small answer carries no link.
    const small = await c301(a.bl, "GET", "/programs");
    expect(small.status).toBe(200);
    expect(small.headers.get("link")).toBeNull();
  });

  it("GET /vens/{venID}/resources and GET /vens (resources embedded) are bounded too", async () => {
    const venID = t.vens[0].venID;
    const res = await pages(a.ven1, `/vens/${venID}/resources?limit=50`);
    expect(res.sizes).toEqual([1, 1, 1]);
    expect(res.links[0]).toContain(`/openadr3/3.0.1/vens/${venID}/resources?`);
    // The first demo ven embeds ~120 KB of resources: it comes alone, the other ven on the next page.
    const vens = await pages(a.bl, "/vens?limit=50");
    expect(vens.sizes[0]).toBe(1);
    expect(vens.sizes.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(2);
    expect(vens.links[0]).toContain("skip=1");
  });
});
