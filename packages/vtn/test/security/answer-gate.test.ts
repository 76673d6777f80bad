// Issue 15 hole 4, "keep the server responsive": list answers of large reports hold their bytes
// until the socket has taken them (gate.ts). Readers that ask and never read keep their answers
// in the VTN's memory: one client's stalled readers hold at most its share, its next request
// waits without the store being read for it, another client is still answered in full (every
// report, Link rel="next"), and closing the stalled sockets gives all the bytes back.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerGate } from "../../src/gate.ts";
import { startTestVtn, type TestVtn, until } from "../../src/testing/index.ts";

const MAX = 8 * 1024 * 1024;
const REPORTS = 10;

describe("list answers held in flight", () => {
  let t: TestVtn;
  let eventID: string;
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestVtn({ listMaxBytes: MAX });
    const bl = await t.token(t.bl);
    const programID = (await t.call(bl, "POST", "/programs", { programName: "gate" })).body.id;
    eventID = (
      await t.call(bl, "POST", "/events", {
        programID,
        targets: ["demo"],
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
      })
    ).body.id;
    const ven = await t.token(t.vens[0]);
    // ~880 KB each: eight fill an answer, far more than the kernel takes for a reader that does
    // not read (a 128 KiB receive window, a send buffer of at most 4 MiB here).
    for (let i = 0; i < REPORTS; i++) {
      const values = Array.from({ length: 80_000 }, (_, k) => Number((k * 1.000001 + i).toFixed(4)));
      const r = await t.call(ven, "POST", "/reports", {
        eventID,
        clientName: "gate",
        resources: [{ resourceName: "m", intervals: [{ id: 0, payloads: [{ type: "USAGE", values }] }] }],
      });
      expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBe(201);
      ids.push(r.body.id);
    }
  }, 120_000);
  afterAll(() => t.close());

  it("a client's stalled readers hold at most its share; others are answered; closing frees all", async () => {
    const gate = answerGate(t.vtn.core, MAX);
    const venClient = t.vens[0].clientId;
    const ven = await t.token(t.vens[0]);
    const url = new URL(`${t.url}/reports?eventID=${eventID}&limit=50`);
    const stalled: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const s = connect(Number(url.port), url.hostname);
      s.pause(); // never reads: what the VTN writes stays queued on its side
      s.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${ven}\r\n\r\n`);
      stalled.push(s);
    }
    try {
      await until("two answers held and one waiting", () => gate.load().waiting === 1);
      const held = gate.load(venClient);
      // Two answers of eight reports each, and the third kept out by the client's share.
      expect(held.heldByClient).toBeGreaterThan(MAX);
      expect(held.heldByClient).toBeLessThanOrEqual(gate.perClient);
      expect(held.held).toBe(held.heldByClient);

      // The BL pages through every report while the VEN's readers stall, in 3.1 and in 3.0.1.
      const bl = await t.token(t.bl);
      const pageThrough = async (first: string) => {
        const seen: string[] = [];
        let next: string | undefined = first;
        let pages = 0;
        while (next) {
          const res: Response = await fetch(next, { headers: { authorization: `Bearer ${bl}` } });
          expect(res.status).toBe(200);
          const text = await res.text();
          expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX);
          expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(text));
          seen.push(...(JSON.parse(text) as Array<{ id: string }>).map((r) => r.id));
          const link = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
          next = link ? new URL(link, next).href : undefined;
          pages++;
        }
        return { seen, pages };
      };
      expect(await pageThrough(url.href)).toEqual({ seen: ids, pages: 2 });
      const v301 = await pageThrough(url.href.replace("/3.1.0/", "/3.0.1/"));
      expect(v301.seen).toEqual(ids);
      expect(v301.pages).toBeGreaterThan(1);
      // Still held: the stalled readers have not taken their answers.
      expect(gate.load(venClient).waiting).toBe(1);
    } finally {
      for (const s of stalled) s.destroy();
    }
    await until("every hold released", () => gate.load().held === 0 && gate.load().waiting === 0);
  }, 60_000);
});
