import type { Event } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { eventToForm, newEventForm, toEventRequest, withSeries } from "../src/logic/event-form.ts";
import { toLocalInput } from "../src/logic/local-time.ts";

const start = new Date("2030-05-01T10:00:00Z");

describe("the event editor's form", () => {
  test("three hourly price intervals become an eventRequest with a payload descriptor", () => {
    const f = { ...newEventForm("p1", toLocalInput(start)), eventName: "peak", targets: "demo, site-1, demo" };
    f.intervals = [0.2, 0.35, 0.1].map((v, id) => ({ id, cells: [String(v)], start: "", duration: "" }));
    const { request, errors } = toEventRequest(f);
    expect(errors).toEqual({});
    expect(request).toEqual({
      programID: "p1",
      eventName: "peak",
      targets: ["demo", "site-1"],
      intervalPeriod: { start: "2030-05-01T10:00:00.000Z", duration: "PT1H" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
      ],
      intervals: [
        { id: 0, payloads: [{ type: "PRICE", values: [0.2] }] },
        { id: 1, payloads: [{ type: "PRICE", values: [0.35] }] },
        { id: 2, payloads: [{ type: "PRICE", values: [0.1] }] },
      ],
    });
  });

  test("errors are keyed by the request path of the field they concern", () => {
    const f = newEventForm("", "not a time");
    f.duration = "1 hour";
    f.columns = [{ type: "SIMPLE", units: "", currency: "" }];
    f.intervals = [
      { id: 0, cells: ["7"], start: "", duration: "" },
      { id: 0, cells: [""], start: "", duration: "PTX" },
    ];
    const { request, errors } = toEventRequest(f);
    expect(request).toBeUndefined();
    expect(errors).toEqual({
      programID: "choose a program",
      "intervalPeriod.start": "enter a date and time",
      "intervalPeriod.duration": '"1 hour" is not an ISO 8601 duration (e.g. PT15M, PT1H, P1D)',
      "intervals.0.payloads.0.values": "SIMPLE must be at most 3",
      "intervals.1.id": "interval id 0 is used twice",
      "intervals.1.payloads": "enter a value",
      "intervals.1.intervalPeriod.duration": '"PTX" is not an ISO 8601 duration (e.g. PT15M, PT1H, P1D)',
    });
  });

  test("an empty start means 'now' (0001-01-01, User_Guide.md §7.3)", () => {
    const f = withSeries(newEventForm("p1", ""), [1]);
    expect(toEventRequest(f).request?.intervalPeriod?.start).toBe("0001-01-01T00:00:00Z");
  });

  test("a pasted series replaces the intervals, one per value", () => {
    const f = withSeries(
      newEventForm("p1", toLocalInput(start)),
      Array.from({ length: 24 }, (_, h) => h / 10),
    );
    const r = toEventRequest(f).request;
    expect(r?.intervals).toHaveLength(24);
    expect(r?.intervals?.[23]).toEqual({ id: 23, payloads: [{ type: "PRICE", values: [2.3] }] });
  });

  test("report descriptors keep only what differs from the spec defaults", () => {
    const f = withSeries(newEventForm("p1", toLocalInput(start)), [1]);
    f.reports = [
      {
        payloadType: "USAGE",
        readingType: "DIRECT_READ",
        units: "KWH",
        aggregate: false,
        startInterval: "-1",
        numIntervals: "-1",
        historical: true,
        frequency: "-1",
        repeat: "3",
      },
    ];
    expect(toEventRequest(f).request?.reportDescriptors).toEqual([
      { payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH", repeat: 3 },
    ]);
  });

  test("an existing event round-trips through the form", () => {
    const e: Event = {
      id: "e1",
      objectType: "EVENT",
      createdDateTime: "2030-01-01T00:00:00Z",
      modificationDateTime: "2030-01-01T00:00:00Z",
      programID: "p1",
      eventName: "mixed",
      priority: 2,
      targets: ["a"],
      intervalPeriod: { start: "2030-05-01T10:00:00.000Z", duration: "PT30M" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
      ],
      reportDescriptors: [{ payloadType: "USAGE" }],
      intervals: [
        {
          id: 5,
          payloads: [
            { type: "PRICE", values: [0.3] },
            { type: "ALERT_OTHER", values: ["heat; wave"] },
          ],
        },
        {
          id: 6,
          intervalPeriod: { start: "2030-05-01T12:00:00.000Z", duration: "PT2H" },
          payloads: [{ type: "PRICE", values: [0.1] }],
        },
      ],
    };
    const f = eventToForm(e);
    expect(f.columns.map((c) => c.type)).toEqual(["PRICE", "ALERT_OTHER"]);
    const { request, errors } = toEventRequest(f);
    expect(errors).toEqual({});
    const { id, objectType, createdDateTime, modificationDateTime, ...req } = e;
    expect(request).toEqual({
      ...req,
      payloadDescriptors: [
        ...(req.payloadDescriptors ?? []),
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "ALERT_OTHER" },
      ],
    });
  });
});
