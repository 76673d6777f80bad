import type { Event, Report, Ven } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { chains, traceOf } from "../src/logic/chain.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const derived = (id: string, member: string, upstream = "U1", version = "2030-01-01T10:00:00.000Z") =>
  ({
    ...meta,
    id,
    objectType: "EVENT",
    programID: "p-node",
    intervals: [],
    gridlinkUpstream: {
      vtn: "https://dso.example/openadr3/3.1.0",
      programID: "P",
      eventID: upstream,
      modificationDateTime: version,
      member,
    },
  }) as Event;
const ven = (name: string): Ven => ({
  ...meta,
  id: `v-${name}`,
  objectType: "VEN",
  venName: name,
  clientID: `c-${name}`,
});
const report = (id: string, eventID: string, clientID: string): Report => ({
  ...meta,
  id,
  objectType: "REPORT",
  eventID,
  clientID,
  clientName: clientID,
  resources: [],
});

describe("the chain of a node", () => {
  test("downstream events group by their upstream event; each member is its VEN, with its reports", () => {
    const events = [
      derived("d2", "site-2", "U1", "2030-01-01T11:00:00.000Z"),
      derived("d1", "site-1"),
      derived("d3", "site-1", "U2"),
      { ...meta, id: "plain", objectType: "EVENT", programID: "p", intervals: [] } as Event,
    ];
    const reports = [report("r1", "d1", "c-site-1"), report("r2", "d1", "c-other"), report("r3", "d2", "c-site-2")];
    const out = chains(events, [ven("site-1"), ven("site-2")], reports);
    expect(
      out.map((c) => [
        c.upstreamEventID,
        c.version,
        c.links.map((l) => [l.member, l.ven?.id, l.reports.map((r) => r.id)]),
      ]),
    ).toEqual([
      [
        "U1",
        "2030-01-01T11:00:00.000Z",
        [
          ["site-1", "v-site-1", ["r1"]],
          ["site-2", "v-site-2", ["r3"]],
        ],
      ],
      ["U2", "2030-01-01T10:00:00.000Z", [["site-1", "v-site-1", []]]],
    ]);
  });

  test("a member without a VEN of its name keeps every report on its event; a malformed trace is none", () => {
    const out = chains([derived("d1", "gone")], [], [report("r1", "d1", "c-x")]);
    expect(out[0]?.links[0]).toMatchObject({ member: "gone", ven: undefined });
    expect(out[0]?.links[0]?.reports.map((r) => r.id)).toEqual(["r1"]);
    expect(traceOf({ ...derived("d", "m"), gridlinkUpstream: { eventID: 3 } } as unknown as Event)).toBe(undefined);
  });
});
