// The one privacy table (src/testing/privacy-table.ts) through the OpenADR 3.0.1 binding: every
// actor reads every object of the world by id and in lists over /openadr3/3.0.1, and sees exactly
// what the table says (targets as 3.0.1 valuesMaps), because the binding asks the same core.
import { targetsFrom31 } from "@gridlink/model/oadr301";
import {
  buildWorld,
  KIND_OF,
  READ_CASES,
  type ReadCase,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
  type Thing,
  type World,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call301 } from "./support.ts";

let t: TestVtn;
let rx: Receiver;
let w: World;
let call: ReturnType<typeof call301>;

beforeAll(async () => {
  t = await startTestVtn();
  rx = await startReceiver();
  w = await buildWorld(t, (a) => `${rx.url}/${a}`);
  call = call301(t);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

/** 3.0.1 paths: resources are nested in their ven. */
function path301(thing: Thing): { one: string; list: string } {
  const kind = KIND_OF[thing];
  if (kind === "RESOURCE") {
    const ven = thing === "resourceA" ? w.venIds.venA : w.venIds.venB;
    return { one: `/vens/${ven}/resources/${w.ids[thing]}`, list: `/vens/${ven}/resources?limit=50` };
  }
  const coll = {
    PROGRAM: "/programs",
    EVENT: "/events",
    REPORT: "/reports",
    VEN: "/vens",
    SUBSCRIPTION: "/subscriptions",
  }[kind];
  return { one: `${coll}/${w.ids[thing]}`, list: `${coll}?limit=50` };
}

const label = (c: ReadCase) => `${c.actor} ${c.sees ? "sees" : "does not see"} ${c.thing}`;

describe("the privacy table through OpenADR 3.0.1", () => {
  it.each(READ_CASES.map((c) => [label(c), c] as const))("%s", async (_, c) => {
    const p = path301(c.thing);
    const one = await call(w.tokens[c.actor], "GET", p.one);
    expect(one.status).toBe(c.sees ? 200 : 404);
    if (c.sees && c.shownTargets) expect(one.body.targets).toEqual(targetsFrom31(c.shownTargets));
    const list = await call(w.tokens[c.actor], "GET", p.list);
    // Another VEN's ven is 404 for its nested resources list as well.
    if (list.status === 404) expect(c.sees).toBe(false);
    else {
      expect(list.status).toBe(200);
      const hit = (list.body as Array<{ id: string }>).some((o) => o.id === w.ids[c.thing]);
      expect(hit).toBe(c.sees);
    }
  });
});
