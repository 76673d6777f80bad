// Every list filter of openadr3.yaml, ANDed (Definition.md §Response Filtering): programID,
// eventID, clientName, venName, resourceName, venID, objects, targets, active; and a bad filter
// value is a 400 naming it. BL asks here, so privacy does not narrow the answers.

import {
  type Actors,
  actors,
  bodies,
  expectProblem,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const FUTURE = { start: "2999-01-01T00:00:00Z", duration: "PT1H" };
const PAST = { start: "2020-01-01T00:00:00Z", duration: "PT1H" };

describe("list filters", () => {
  let t: TestVtn;
  let a: Actors;
  let hook: Receiver;
  const id: Record<string, string> = {};
  const sorted = (xs: string[]) => [...xs].sort();
  /** The names of the objects a BL list returns, sorted. */
  const names = async (path: string, token = a.bl) => {
    const res = await t.call(token, "GET", path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    const byId = new Map(Object.entries(id).map(([k, v]) => [v, k]));
    return sorted((res.body as Array<{ id: string }>).map((o) => byId.get(o.id) ?? o.id));
  };

  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    hook = await startReceiver();
    const post = async (name: string, token: string, path: string, body: unknown) => {
      const res = await t.call(token, "POST", path, body);
      if (res.status !== 201) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      id[name] = res.body.id;
    };
    id.ven1 = t.vens[0].venID;
    id.ven2 = t.vens[1].venID;
    await post("P1", a.bl, "/programs", bodies.program("north-program", { targets: ["north"] }));
    await post("P2", a.bl, "/programs", bodies.program("south-program", { targets: ["south"] }));
    await post("P3", a.bl, "/programs", bodies.program("open-program"));
    await post("E1", a.bl, "/events", bodies.event(id.P1, { targets: ["north"], intervalPeriod: FUTURE }));
    await post("E2", a.bl, "/events", bodies.event(id.P1, { targets: ["south"], intervalPeriod: PAST }));
    await post("E3", a.bl, "/events", bodies.event(id.P2, { intervalPeriod: FUTURE }));
    await post("E4", a.bl, "/events", bodies.event(id.P2, { targets: ["north"], intervalPeriod: PAST }));
    await post("R1", a.ven1, "/reports", bodies.report(id.E3, { clientName: "alpha" }));
    await post("R2", a.ven1, "/reports", bodies.report(id.E3, { clientName: "beta" }));
    await post("R3", a.ven2, "/reports", bodies.report(id.E3, { clientName: "alpha" }));
    await post("S1", a.ven1, "/subscriptions", {
      clientName: "alpha",
      programID: id.P3,
      objectOperations: [{ objects: ["EVENT"], operations: ["CREATE"], callbackUrl: hook.callbackUrl }],
    });
    await post("S2", a.ven1, "/subscriptions", {
      clientName: "beta",
      objectOperations: [{ objects: ["REPORT", "PROGRAM"], operations: ["CREATE"], callbackUrl: hook.callbackUrl }],
    });
    await post("S3", a.bl, "/subscriptions", {
      clientName: "alpha",
      programID: id.P2,
      objectOperations: [
        { objects: ["EVENT"], operations: ["CREATE"], callbackUrl: hook.callbackUrl },
        { objects: ["VEN"], operations: ["DELETE"], callbackUrl: hook.callbackUrl },
      ],
    });
    await post("V3", a.bl, "/vens", bodies.blVen("filter-ven", "filter-client", { targets: ["north"] }));
    await post("RA", a.bl, "/resources", bodies.resource("meter", id.ven1, { targets: ["north"] }));
    await post("RB", a.bl, "/resources", bodies.resource("meter", id.ven2));
    await post("RC", a.bl, "/resources", bodies.resource("pv", id.ven1));
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  it("programs: targets (any of the given ones)", async () => {
    expect(await names("/programs")).toEqual(["P1", "P2", "P3"]);
    expect(await names("/programs?targets=north")).toEqual(["P1"]);
    expect(await names("/programs?targets=north&targets=south")).toEqual(["P1", "P2"]);
    expect(await names("/programs?targets=east")).toEqual([]);
  });

  it("events: programID, targets and active, ANDed", async () => {
    expect(await names("/events")).toEqual(["E1", "E2", "E3", "E4"]);
    expect(await names(`/events?programID=${id.P1}`)).toEqual(["E1", "E2"]);
    expect(await names("/events?targets=north")).toEqual(["E1", "E4"]);
    expect(await names("/events?active=true")).toEqual(["E1", "E3"]);
    expect(await names("/events?active=false")).toEqual(["E1", "E2", "E3", "E4"]);
    expect(await names(`/events?programID=${id.P1}&active=true`)).toEqual(["E1"]);
    expect(await names(`/events?programID=${id.P2}&targets=north`)).toEqual(["E4"]);
    expect(await names(`/events?programID=${id.P2}&targets=north&active=true`)).toEqual([]);
  });

  it("reports: programID, eventID and clientName, ANDed", async () => {
    await t.call(a.bl, "POST", "/events", bodies.event(id.P3)).then(async (e) => {
      const r = await t.call(a.ven2, "POST", "/reports", bodies.report(e.body.id, { clientName: "beta" }));
      id.R4 = r.body.id;
      id.E5 = e.body.id;
    });
    expect(await names(`/reports?programID=${id.P2}`)).toEqual(["R1", "R2", "R3"]);
    expect(await names(`/reports?eventID=${id.E5}`)).toEqual(["R4"]);
    expect(await names("/reports?clientName=alpha")).toEqual(["R1", "R3"]);
    expect(await names(`/reports?programID=${id.P2}&clientName=beta`)).toEqual(["R2"]);
    expect(await names(`/reports?eventID=${id.E3}&clientName=alpha`)).toEqual(["R1", "R3"]);
    expect(await names(`/reports?programID=${id.P1}&eventID=${id.E3}`)).toEqual([]);
  });

  it("subscriptions: programID, clientName and objects, ANDed", async () => {
    expect(await names(`/subscriptions?programID=${id.P3}`)).toEqual(["S1"]);
    expect(await names("/subscriptions?clientName=alpha")).toEqual(["S1", "S3"]);
    expect(await names("/subscriptions?objects=EVENT")).toEqual(["S1", "S3"]);
    expect(await names("/subscriptions?objects=PROGRAM")).toEqual(["S2"]);
    expect(await names("/subscriptions?objects=REPORT&objects=VEN")).toEqual(["S2", "S3"]);
    expect(await names(`/subscriptions?objects=EVENT&clientName=alpha&programID=${id.P2}`)).toEqual(["S3"]);
    expect(await names("/subscriptions?objects=RESOURCE")).toEqual([]);
  });

  it("vens: venName and targets, ANDed", async () => {
    expect(await names("/vens?venName=filter-ven")).toEqual(["V3"]);
    expect(await names("/vens?targets=demo")).toEqual(["ven1", "ven2"]);
    expect(await names("/vens?targets=demo-ven-1&targets=north")).toEqual(["V3", "ven1"]);
    expect(await names("/vens?venName=demo-ven-2&targets=demo")).toEqual(["ven2"]);
    expect(await names("/vens?venName=demo-ven-2&targets=demo-ven-1")).toEqual([]);
  });

  it("resources: resourceName, venID and targets, ANDed", async () => {
    expect(await names("/resources?resourceName=meter")).toEqual(["RA", "RB"]);
    expect(await names(`/resources?venID=${id.ven1}`)).toEqual(["RA", "RC"]);
    expect(await names("/resources?targets=north")).toEqual(["RA"]);
    expect(await names(`/resources?resourceName=meter&venID=${id.ven2}`)).toEqual(["RB"]);
    expect(await names(`/resources?resourceName=pv&targets=north`)).toEqual([]);
  });

  it("a malformed filter value is a 400 naming the parameter", async () => {
    const long = "x".repeat(129);
    const bad: Array<[string, string]> = [
      ["/events?programID=a.b", "programID"],
      ["/events?active=yes", "active"],
      ["/events?active=true&active=false", "active"],
      ["/programs?targets=", "targets"],
      [`/programs?targets=${long}`, "targets"],
      ["/reports?eventID=a%20b", "eventID"],
      ["/reports?programID=a!", "programID"],
      [`/reports?clientName=${long}`, "clientName"],
      ["/subscriptions?objects=CAT", "objects"],
      ["/subscriptions?programID=a.b", "programID"],
      ["/subscriptions?clientName=", "clientName"],
      ["/vens?venName=", "venName"],
      ["/resources?venID=a.b", "venID"],
      [`/resources?resourceName=${long}`, "resourceName"],
    ];
    for (const [path, param] of bad) expectProblem(await t.call(a.bl, "GET", path), 400, param);
  });
});
