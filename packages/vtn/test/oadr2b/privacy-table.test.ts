// The shared privacy table (src/testing/privacy-table.ts READ_CASES) through the 2.0b channel:
// oadrRequestEvent and oadrPoll's oadrDistributeEvent carry exactly the events the table says a
// VEN sees, with the targets it is shown (as eiTarget groupIDs); market contexts name only
// programs it may see; no 2.0b message carries another VEN's report or any report at all (2.0b
// has no report read for VENs); BL is no 2.0b party. Writes about another VEN's event (opt-outs,
// opts) are refused and store nothing.
import {
  buildWorld,
  KIND_OF,
  READ_CASES,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
  type Thing,
  touchAll,
  type World,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, type Reply, Ven2b } from "./client.ts";

let t: TestVtn;
let rx: Receiver;
let w: World;
const vens = {} as Record<"venA" | "venB", Ven2b>;
/** Every 2.0b message each VEN received, by request and by poll, before and after every object changed. */
const seen = { venA: [] as Reply[], venB: [] as Reply[] };

type EventXml = {
  eiEvent: {
    eventDescriptor: { eventID: string; eiMarketContext: { marketContext: string } };
    eiTarget: Record<string, string[]>;
  };
};
const events = (a: "venA" | "venB"): EventXml[] =>
  seen[a].filter((r) => r.name === "oadrDistributeEvent").flatMap((r) => (r.body.oadrEvent ?? []) as EventXml[]);

beforeAll(async () => {
  t = await startTestVtn();
  rx = await startReceiver();
  w = await buildWorld(t, (a) => `${rx.url}/${a}`);
  const origin = new URL(t.url).origin;
  for (const a of ["venA", "venB"] as const) {
    vens[a] = new Ven2b(origin, w.tokens[a]);
    await vens[a].register();
  }
  const collect = async () => {
    for (const a of ["venA", "venB"] as const) {
      const venID = w.venIds[a];
      seen[a].push(...(await vens[a].drain(venID)));
      seen[a].push(
        await vens[a].message(
          "EiEvent",
          `<oadr:oadrRequestEvent ei:schemaVersion="2.0b"><pyld:eiRequestEvent><pyld:requestID>p</pyld:requestID><ei:venID>${venID}</ei:venID></pyld:eiRequestEvent></oadr:oadrRequestEvent>`,
        ),
      );
    }
  };
  await collect();
  await touchAll(t, w);
  await collect();
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

describe("the privacy table through 2.0b", () => {
  for (const c of READ_CASES) {
    const kind = KIND_OF[c.thing];
    if (!["PROGRAM", "EVENT", "REPORT"].includes(kind)) continue;
    const name = `${c.actor} ${c.sees ? "sees" : "does not see"} ${c.thing}`;
    if (c.actor === "bl") {
      it(`${name}: BL is no 2.0b party (it reads over 3.1); its registration is refused`, async () => {
        const r = await new Ven2b(new URL(t.url).origin, w.tokens.bl).register();
        expect(code(r)).toBe("403");
      });
      continue;
    }
    const actor = c.actor;
    if (kind === "EVENT")
      it(`${name}${c.sees && c.shownTargets ? `, shown targets ${c.shownTargets.join(",")}` : ""}`, () => {
        const mine = events(actor).filter((e) => e.eiEvent.eventDescriptor.eventID === w.ids[c.thing]);
        expect(mine.length > 0).toBe(c.sees);
        for (const e of mine) expect(e.eiEvent.eiTarget.groupID ?? []).toEqual(c.shownTargets ?? []);
      });
    if (kind === "PROGRAM")
      it(`${name}: market contexts name only programs the VEN may see`, () => {
        const program = `urn:gridlink:program:${encodeURIComponent(String(w.bodies[c.thing].programName))}`;
        const named = events(actor).some((e) => e.eiEvent.eventDescriptor.eiMarketContext.marketContext === program);
        // Every world event is in programOpen: programA is named by nobody, seen or not.
        expect(named).toBe(c.thing === "programOpen" && c.sees);
      });
    if (kind === "REPORT")
      it(`${name}: no 2.0b message carries a report to a VEN (2.0b has no report read)`, () => {
        for (const r of seen[actor]) expect(r.text).not.toContain(w.ids[c.thing as Thing]);
      });
  }

  it("venA cannot opt out of venB's event, by oadrCreatedEvent or oadrCreateOpt; nothing is stored", async () => {
    const eventB = w.ids.eventB;
    const created = await vens.venA.message(
      "EiEvent",
      `<oadr:oadrCreatedEvent ei:schemaVersion="2.0b"><pyld:eiCreatedEvent><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>x</pyld:requestID></ei:eiResponse><ei:eventResponses><ei:eventResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>x</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventB}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:optType>optOut</ei:optType></ei:eventResponse></ei:eventResponses><ei:venID>${w.venIds.venA}</ei:venID></pyld:eiCreatedEvent></oadr:oadrCreatedEvent>`,
    );
    expect(code(created)).toBe("452");
    const opt = await vens.venA.message(
      "EiOpt",
      `<oadr:oadrCreateOpt ei:schemaVersion="2.0b"><ei:optID>o-1</ei:optID><ei:optType>optOut</ei:optType><ei:optReason>participating</ei:optReason><ei:venID>${w.venIds.venA}</ei:venID><ei:createdDateTime>2030-01-01T00:00:00Z</ei:createdDateTime><pyld:requestID>o</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventB}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:eiTarget/></oadr:oadrCreateOpt>`,
    );
    expect(code(opt)).toBe("452");
    expect((await t.call(w.tokens.bl, "GET", `/events/${eventB}/opts`)).body).toEqual([]);
  });
});
