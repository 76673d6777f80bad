// The polling path answers a repeated poll without waiting (issue 13): a token verified before is
// taken from the verifier's cache (BuiltinIssuer.cached), the VEN's visibility from the grants
// cache (TargetGrants.visibilityNow) and the page from the read cache (Events.listCached). These
// tests poll the same URL again and again, as a VEN does, and check that each answer is still the
// one core's policy gives after every kind of change: a new event, a grant added and taken away,
// and the client disabled.

import { bodies, expectOk, expectProblem, suiteVtn } from "@gridlink/vtn/testing";
import { beforeAll, describe, expect, it } from "vitest";

describe("a repeated poll answered from the caches stays correct and fresh", () => {
  const { t, a } = suiteVtn();
  let programID: string;
  const poll = "/events?targets=fast-path-x&limit=50";
  /** Event names of two polls in a row (the second from the caches), which must agree. */
  const polled = async (token: string) => {
    const names = [];
    for (let i = 0; i < 2; i++) {
      const res = await t.call(token, "GET", poll);
      expectOk(res);
      names.push((res.body as Array<{ eventName: string }>).map((e) => e.eventName).sort());
    }
    expect(names[1]).toEqual(names[0]);
    return names[0];
  };
  const ven1 = () => ({ venName: "demo-ven-1", clientID: t.vens[0].clientId });

  beforeAll(async () => {
    programID = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("fast-path")), 201).id;
    expectOk(
      await t.call(a.bl, "POST", "/events", bodies.event(programID, { eventName: "e1", targets: ["fast-path-x"] })),
      201,
    );
  });

  it("a target granted after the VEN polled is seen at its next poll, and gone once taken away", async () => {
    expect(await polled(a.ven1)).toEqual([]);
    const venID = t.vens[0].venID;
    expectOk(await t.call(a.bl, "PUT", `/vens/${venID}`, { ...ven1(), targets: ["demo-ven-1", "fast-path-x"] }));
    expect(await polled(a.ven1)).toEqual(["e1"]);
    // The other VEN polls the same URL and has no such grant: the cached page is not its answer.
    expect(await polled(a.ven2)).toEqual([]);
    expectOk(await t.call(a.bl, "PUT", `/vens/${venID}`, { ...ven1(), targets: ["demo-ven-1"] }));
    expect(await polled(a.ven1)).toEqual([]);
  });

  it("an event written after the VEN polled is in its next poll", async () => {
    const venID = t.vens[0].venID;
    expectOk(await t.call(a.bl, "PUT", `/vens/${venID}`, { ...ven1(), targets: ["demo-ven-1", "fast-path-x"] }));
    expect(await polled(a.ven1)).toEqual(["e1"]);
    expectOk(
      await t.call(a.bl, "POST", "/events", bodies.event(programID, { eventName: "e2", targets: ["fast-path-x"] })),
      201,
    );
    expect(await polled(a.ven1)).toEqual(["e1", "e2"]);
  });

  it("a cached token is refused at the first poll after its client is disabled", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "fast-path-disabled" });
    const tok = await t.token(c);
    expect(await polled(tok)).toEqual([]);
    await t.vtn.clients.setDisabled(c.clientId, true);
    expectProblem(await t.call(tok, "GET", poll), 401);
  });

  it("a token that is not Bearer, or not valid, is refused on the same route", async () => {
    const res = await fetch(`${t.url}${poll}`, { headers: { authorization: "Basic abc" } });
    expect(res.status).toBe(401);
    expectProblem(await t.call(`${a.ven1}x`, "GET", poll), 401);
  });
});
