// eventStatus follows the model's time rules as the clock moves (far, near within an hour of the
// start, active, completed), and each change of status is a new oadrDistributeEvent by poll; a
// completed event drops out of the next one.
import { startTestVtn, type TestVtn, testClock } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ven2b } from "./client.ts";

const clock = testClock();
let t: TestVtn;
let ven: Ven2b;
let venID: string;
let eventID: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await startTestVtn({}, { now: clock.now });
  const bl = await t.token(t.bl);
  ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
  venID = (await ven.register()).body.venID[0];
  const programID = (await t.call(bl, "POST", "/programs", { programName: "status" })).body.id;
  const start = new Date(clock.now().getTime() + 3 * HOUR).toISOString();
  eventID = (
    await t.call(bl, "POST", "/events", {
      programID,
      intervalPeriod: { start, duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [3] }] }],
    })
  ).body.id;
});
afterAll(() => t.close());

/** A token issued now (the clock moved past the last one's expiry). */
async function freshVen(): Promise<Ven2b> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: t.vens[0].clientId,
    client_secret: t.vens[0].clientSecret,
  });
  const res = await fetch(`${t.url}/auth/token`, { method: "POST", body: form });
  return new Ven2b(ven.root, ((await res.json()) as { access_token: string }).access_token);
}

async function statusByPoll(): Promise<string | undefined | "no distribute"> {
  ven = await freshVen();
  const replies = await ven.drain(venID);
  expect(replies.at(-1)?.body.eiResponse?.responseCode).toBe("200");
  const d = replies.filter((r) => r.name === "oadrDistributeEvent").at(-1);
  if (!d) return "no distribute";
  const e = (d.body.oadrEvent ?? []).find(
    (x: { eiEvent: { eventDescriptor: { eventID: string } } }) => x.eiEvent.eventDescriptor.eventID === eventID,
  );
  return e?.eiEvent.eventDescriptor.eventStatus;
}

describe("eventStatus by the clock", () => {
  it("far three hours before the start", async () => expect(await statusByPoll()).toBe("far"));
  it("nothing new while the status stays", async () => expect(await statusByPoll()).toBe("no distribute"));
  it("near within the hour before", async () => {
    clock.advance(2.5 * HOUR);
    expect(await statusByPoll()).toBe("near");
  });
  it("active from the start", async () => {
    clock.advance(0.75 * HOUR);
    expect(await statusByPoll()).toBe("active");
  });
  it("gone from the list once completed", async () => {
    clock.advance(HOUR);
    expect(await statusByPoll()).toBeUndefined();
  });
});
