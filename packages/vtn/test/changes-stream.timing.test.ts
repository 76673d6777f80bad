// Server-sent events of object changes (GET {base}/gridlink/changes, for the console's live views)
// run through the shared privacy table: each actor hears of exactly the changes it may see, with
// the targets it may see, as the REST reads, webhooks and MQTT do (core's audience policy).
import {
  ACTORS,
  type Actor,
  buildWorld,
  READ_CASES,
  type ReadCase,
  startReceiver,
  startTestVtn,
  type TestVtn,
  touchAll,
  until,
  type World,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Heard {
  objectType: string;
  operation: string;
  objectID: string;
  targets?: string[];
}

/** Reads an event stream with a bearer token (EventSource cannot send one; the console uses fetch too). */
function openStream(url: string, token: string) {
  const heard: Heard[] = [];
  const ctl = new AbortController();
  let opened = false;
  const done = (async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ctl.signal });
    if (res.status !== 200 || !res.body) throw new Error(`stream refused: ${res.status}`);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    opened = true;
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let i = buf.indexOf("\n\n");
      while (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        if (/^event: change$/m.test(block) && data) heard.push(...(JSON.parse(data) as Heard[]));
        i = buf.indexOf("\n\n");
      }
    }
  })().catch((err) => {
    if ((err as Error).name !== "AbortError") throw err;
  });
  return { heard, opened: () => opened, close: () => ctl.abort(), done };
}

let t: TestVtn;
let w: World;
const streams = {} as Record<Actor, ReturnType<typeof openStream>>;

beforeAll(async () => {
  t = await startTestVtn();
  const rx = await startReceiver();
  w = await buildWorld(t, (a) => `${rx.url}/${a}`);
  for (const a of ACTORS) streams[a] = openStream(`${t.url}/gridlink/changes`, w.tokens[a]);
  await until("every stream open", () => ACTORS.every((a) => streams[a].opened()));
  // The feed listens from here: a probe change reaches BL's stream.
  const probe = await t.call(w.tokens.bl, "POST", "/programs", { programName: "sse-probe" });
  await until("the probe on BL's stream", () => streams.bl.heard.some((h) => h.objectID === probe.body.id));
  await touchAll(t, w);
  // The last thing touched reaches its writer's stream: everything before it was published.
  await until("the touches published", () =>
    ACTORS.every((a) => streams[a].heard.filter((h) => h.operation === "UPDATE").length > 0),
  );
  await new Promise((r) => setTimeout(r, 200));
  await rx.close();
}, 60_000);

afterAll(async () => {
  for (const a of ACTORS) streams[a]?.close();
  await t?.close();
});

const label = (c: ReadCase) => `${c.actor} ${c.sees ? "hears" : "does not hear"} of ${c.thing}`;

describe("server-sent change events", () => {
  it.each(READ_CASES.map((c) => [label(c), c] as const))("%s", (_, c) => {
    const got = streams[c.actor].heard.filter((h) => h.operation === "UPDATE" && h.objectID === w.ids[c.thing]);
    expect(got.length > 0).toBe(c.sees);
    if (c.sees && c.shownTargets) for (const h of got) expect(h.targets).toEqual(c.shownTargets);
  });

  it("needs a token", async () => {
    expect((await fetch(`${t.url}/gridlink/changes`)).status).toBe(401);
  });

  it("the streams end when the VTN closes (it does not wait for them)", async () => {
    const other = await startTestVtn();
    const s = openStream(`${other.url}/gridlink/changes`, await other.token(other.bl));
    await until("open", () => s.opened());
    const began = Date.now();
    await other.close();
    await s.done;
    expect(Date.now() - began).toBeLessThan(3000);
  });
});
