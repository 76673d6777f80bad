// Hole 7 of issue 15: values a client can send that were 500s (or were stored) are 400s naming
// the field: too many targets ("too many SQL variables"), durations beyond the range of dates,
// impossible dates, on every object that carries them.
import {
  type Actors,
  actors,
  bodies,
  expectProblem,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("bad values are 400s naming the field", () => {
  let t: TestVtn;
  let a: Actors;
  let programID: string;
  let eventID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    programID = (await t.call(a.bl, "POST", "/programs", bodies.program("p-bad-values"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID, { targets: ["demo"] }))).body.id;
  });
  afterAll(() => t.close());

  const many = Array.from({ length: 17_000 }, (_, i) => `t${i}`);

  it("17,000 targets on a program, an event, a ven or a subscription is a 400 naming targets", async () => {
    const rx = await startReceiver();
    try {
      expectProblem(
        await t.call(a.bl, "POST", "/programs", bodies.program("p-many", { targets: many })),
        400,
        "body.targets",
      );
      expectProblem(
        await t.call(a.bl, "POST", "/events", bodies.event(programID, { targets: many })),
        400,
        "body.targets",
      );
      expectProblem(
        await t.call(a.bl, "POST", "/vens", bodies.blVen("v-many", "c-many", { targets: many })),
        400,
        "body.targets",
      );
      expectProblem(
        await t.call(a.ven1, "POST", "/subscriptions", bodies.subscription(rx.url, { targets: many })),
        400,
        "body.targets",
      );
    } finally {
      await rx.close();
    }
  });

  it.each(["PT99999999999999999999S", "P99999999D", "P9999999999999W"])(
    "duration %s is a 400 naming its field",
    async (d) => {
      expectProblem(
        await t.call(
          a.bl,
          "POST",
          "/events",
          bodies.event(programID, { intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: d } }),
        ),
        400,
        "intervalPeriod.duration",
      );
      expectProblem(
        await t.call(
          a.bl,
          "POST",
          "/programs",
          bodies.program(`p-${d}`, { intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: d } }),
        ),
        400,
        "intervalPeriod.duration",
      );
    },
  );

  it("P9999Y ('infinity') is still accepted", async () => {
    const res = await t.call(
      a.bl,
      "POST",
      "/events",
      bodies.event(programID, { intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "P9999Y" } }),
    );
    expect(res.status).toBe(201);
  });

  it.each(["2023-02-30T00:00:00Z", "2023-04-31", "2023-06-15T23:59:60Z", "2023-13-01T00:00:00Z"])(
    "start %s is a 400 on events, programs and reports",
    async (start) => {
      const period = { intervalPeriod: { start, duration: "PT1H" } };
      expectProblem(
        await t.call(a.bl, "POST", "/events", bodies.event(programID, period)),
        400,
        "intervalPeriod.start",
      );
      expectProblem(
        await t.call(a.bl, "POST", "/programs", bodies.program(`p-${start}`, period)),
        400,
        "intervalPeriod.start",
      );
      const report = bodies.report(eventID, { programID });
      report.resources[0] = { ...report.resources[0], ...period } as never;
      expectProblem(await t.call(a.ven1, "POST", "/reports", report), 400, "intervalPeriod.start");
    },
  );
});
