// The one privacy table (src/testing/privacy-table.ts) through the CIM channel. A CIM client is a
// BL principal: it sees through CIM exactly what BL sees (events as EndDeviceControls with all
// their targets, reports as MeterReadings, vens as EndDeviceEvents); programs, resources and
// subscriptions have no CIM noun here and are never carried. A VEN's token is refused at the
// endpoint, so every row of a VEN actor shows nothing through CIM and no write of a VEN lands.
import {
  type Actor,
  buildWorld,
  KIND_OF,
  READ_CASES,
  type ReadCase,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
  type World,
  WRITE_CASES,
  type WriteCase,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, controls, list, postCim, request } from "./cim-client.ts";

let t: TestVtn;
let rx: Receiver;
let w: World;

beforeAll(async () => {
  t = await startTestVtn();
  rx = await startReceiver();
  w = await buildWorld(t, (a) => `${rx.url}/${a}`);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: replies are read as untyped trees in tests
type Tree = any;

/** What `actor` is shown of every noun through CIM: the three get replies (or their refusals). */
async function cimView(actor: Actor) {
  const token = w.tokens[actor];
  const get = (noun: string, req?: string) =>
    postCim(t, token, request({ verb: "get", noun }, req ? { request: req } : {}));
  const page = "<msg:Option><msg:name>limit</msg:name><msg:value>500</msg:value></msg:Option>";
  return {
    controls: await get("EndDeviceControls", page),
    readings: await get("MeterReadings", page),
    events: await get("EndDeviceEvents", page),
  };
}

let views: Record<Actor, Awaited<ReturnType<typeof cimView>>>;
beforeAll(async () => {
  views = { bl: await cimView("bl"), venA: await cimView("venA"), venB: await cimView("venB") };
});

const label = (c: ReadCase) => `${c.actor} ${c.sees ? "sees" : "does not see"} ${c.thing}`;

describe("reads through CIM", () => {
  it.each(READ_CASES.map((c) => [label(c), c] as const))("%s", (_, c) => {
    const v = views[c.actor];
    const id = w.ids[c.thing];
    if (c.actor !== "bl") {
      // The channel is BL-only: whatever the VEN may see over 3.1, CIM shows it nothing.
      for (const r of [v.controls, v.readings, v.events]) {
        expect(r.status).toBe(403);
        expect(r.root).toBe("FaultMessage");
        expect(r.text).not.toContain(id);
      }
      return;
    }
    const kind = KIND_OF[c.thing];
    if (kind === "EVENT") {
      const shown = list(v.controls.msg.Payload?.EndDeviceControls?.EndDeviceControl).find((x: Tree) => x.mRID === id);
      expect(shown !== undefined).toBe(c.sees);
      if (shown && c.shownTargets)
        expect(list(shown.EndDeviceGroups).map((g: Tree) => g.Names[0].name)).toEqual(c.shownTargets);
    } else if (kind === "REPORT") {
      const clientName = c.thing === "reportA" ? "ven-a" : "ven-b";
      const hit = list(v.readings.msg.Payload?.MeterReadings?.MeterReading).some(
        (m: Tree) => m.UsagePoint.mRID === clientName,
      );
      expect(hit).toBe(c.sees);
    } else if (kind === "VEN") {
      const hit = list(v.events.msg.Payload?.EndDeviceEvents?.EndDeviceEvent).some((e: Tree) => e.Assets.mRID === id);
      expect(hit).toBe(c.sees);
    } else {
      // PROGRAM, RESOURCE, SUBSCRIPTION: no CIM noun carries them.
      for (const r of [v.controls, v.readings, v.events]) expect(r.text).not.toContain(id);
    }
  });

  it("BL sees events with every target (no hiding for BL), as a BL GET does", async () => {
    const a = list(views.bl.controls.msg.Payload.EndDeviceControls.EndDeviceControl).find(
      (x: Tree) => x.mRID === w.ids.eventA,
    );
    const rest = await t.call(w.tokens.bl, "GET", `/events/${w.ids.eventA}`);
    expect(list(a.EndDeviceGroups).map((g: Tree) => g.Names[0].name)).toEqual(rest.body.targets);
  });
});

const writeLabel = (c: WriteCase) => `${c.actor} ${c.op} ${c.thing}: ${c.allowed ? "allowed" : "refused"}`;

describe("writes through CIM", () => {
  it.each(WRITE_CASES.map((c) => [writeLabel(c), c] as const))("%s", async (_, c) => {
    const before = (await t.call(w.tokens.bl, "GET", "/events?limit=50")).body.length;
    if (c.actor !== "bl") {
      // Every CIM write of a VEN is refused at the endpoint, whatever 3.1 allows it.
      for (const verb of ["create", "change", "cancel"]) {
        const r = await postCim(
          t,
          w.tokens[c.actor],
          request(
            { verb, noun: "EndDeviceControls" },
            { payload: controls(control({ mRID: `${c.op}-${c.thing}`, type: "SIMPLE", group: "demo" })) },
          ),
        );
        expect(r.status).toBe(403);
      }
    } else {
      // BL rows are about reports and vens, which CIM does not write: such a request is FAILED (2.2).
      const noun = c.op === "createReport" ? "MeterReadings" : "EndDeviceEvents";
      const r = await postCim(t, w.tokens.bl, request({ verb: "create", noun }));
      expect(r.status).toBe(200);
      expect(r.msg.Reply.Result).toBe("FAILED");
      expect(r.msg.Reply.Error[0].code).toBe("2.2");
    }
    expect((await t.call(w.tokens.bl, "GET", "/events?limit=50")).body.length).toBe(before);
  });
});
