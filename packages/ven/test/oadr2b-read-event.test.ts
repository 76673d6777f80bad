// What another VTN sends, read as the SDK reads it: the EPRI example oadrDistributeEvent (default
// namespaces, d3p1: prefixes, empty vtnComment, a lower-case "simple" signal of type delta)
// passes oadr_20b.xsd and becomes the model's OadrEvent and then a 3.1 Event; a message that is
// not 2.0b is refused before anything reads it.
import { readFileSync } from "node:fs";
import { XmlInvalid, XmlRefused } from "@gridlink/model/xml";
import { eventOf31, eventsOf, readMessage } from "@gridlink/ven/oadr2b";
import { describe, expect, it } from "vitest";

const example = (name: string) =>
  readFileSync(
    new URL(
      `../../model/spec/oadr20b/examples/epri-dev-OpenADR-VEN-Library/test_input/payload/${name}`,
      import.meta.url,
    ),
    "utf8",
  );

describe("reading oadrDistributeEvent", () => {
  it("the EPRI example with two signals: every field the model keeps", () => {
    const m = readMessage(example("distribute_event_1event2signals.xml"));
    expect(m.name).toBe("oadrDistributeEvent");
    const [e] = eventsOf(m.body);
    expect(e).toMatchObject({
      eventID: "71dd232a8dab3b1a7279",
      modificationNumber: 0,
      priority: 0,
      marketContext: "http://MarketContext1",
      createdDateTime: "2015-06-26T17:52:34Z",
      eventStatus: "far",
      testEvent: false,
      dtstart: "2015-06-26T18:00:00Z",
      duration: "PT120M",
      startafter: "PT0M",
      responseRequired: "always",
      target: { venID: ["deef06ba5329fcc0e5fa"], groupID: [], resourceID: [], partyID: [] },
    });
    expect(e.vtnComment).toBeUndefined();
    expect(
      e.signals.map((s) => [s.signalName, s.signalType, s.intervals.map((i) => [i.uid, i.duration, i.value])]),
    ).toEqual([
      [
        "ENERGY_PRICE",
        "price",
        [
          [0, "PT60M", 0.5],
          [1, "PT60M", 0.75],
        ],
      ],
      [
        "simple",
        "delta",
        [
          [0, "PT40M", 0],
          [1, "PT40M", 1],
          [2, "PT40M", 2],
        ],
      ],
    ]);
    // As 3.1: ENERGY_PRICE is PRICE_ALTERNATE, "simple" of any type is SIMPLE (model signals.ts);
    // the two signals' intervals differ in length, so each interval carries its own period.
    const ev = eventOf31(e);
    expect(ev).toMatchObject({ id: e.eventID, programID: "http://MarketContext1" });
    expect(ev.priority).toBeUndefined(); // 2.0b priority 0 is "none" (model priority.ts)
    expect(ev.targets).toEqual(["ven:deef06ba5329fcc0e5fa"]);
    expect(ev.intervals?.map((i) => [i.id, i.payloads.map((p) => `${p.type}=${p.values[0]}`)])).toEqual([
      [0, ["PRICE_ALTERNATE=0.5", "SIMPLE=0"]],
      [1, ["PRICE_ALTERNATE=0.75", "SIMPLE=1"]],
      [2, ["SIMPLE=2"]],
    ]);
  });

  it("refuses what is not 2.0b: invalid against the XSD, or with a DOCTYPE", () => {
    const bad = example("distribute_event_1event2signals.xml").replace(
      "<d3p1:eventStatus>far",
      "<d3p1:eventStatus>soon",
    );
    expect(() => readMessage(bad)).toThrow(XmlInvalid);
    const entity = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07">&e;</oadrPayload>`;
    expect(() => readMessage(entity)).toThrow(XmlRefused);
  });
});
