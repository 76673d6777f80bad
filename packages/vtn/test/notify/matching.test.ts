// Which subscriptions a change notifies and what each subscriber sees (notify/matching.ts):
// tables of cases over the pure functions.
import type { Subscription } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import { bodyFor, callbacksFor, notificationJson, notificationOf, programOf } from "../../src/notify/matching.ts";
import { jsonOf } from "../../src/store/json-body.ts";
import type { Change } from "../../src/store/types.ts";

const sub = (ops: Array<[string[], string[], string]>, extra: Partial<Subscription> = {}): Subscription =>
  ({
    id: "s1",
    clientID: "c1",
    clientName: "x",
    objectType: "SUBSCRIPTION",
    createdDateTime: "2030-01-01T00:00:00Z",
    modificationDateTime: "2030-01-01T00:00:00Z",
    objectOperations: ops.map(([objects, operations, callbackUrl]) => ({ objects, operations, callbackUrl })),
    ...extra,
  }) as Subscription;

const change = (kind: Change["kind"], operation: Change["operation"], object: Record<string, unknown>): Change =>
  ({ kind, operation, object: { id: "o1", objectType: kind, ...object } }) as unknown as Change;

describe("callbacksFor", () => {
  const cases: Array<[string, Subscription, Change, string[]]> = [
    [
      "object and operation named",
      sub([[["EVENT"], ["CREATE"], "https://a"]]),
      change("EVENT", "CREATE", { programID: "p" }),
      ["https://a"],
    ],
    [
      "operation not named",
      sub([[["EVENT"], ["UPDATE"], "https://a"]]),
      change("EVENT", "CREATE", { programID: "p" }),
      [],
    ],
    [
      "object not named",
      sub([[["PROGRAM"], ["CREATE"], "https://a"]]),
      change("EVENT", "CREATE", { programID: "p" }),
      [],
    ],
    [
      "one entry per distinct callbackUrl",
      sub([
        [["EVENT"], ["CREATE"], "https://a"],
        [["EVENT", "PROGRAM"], ["CREATE", "UPDATE"], "https://a"],
        [["EVENT"], ["CREATE"], "https://b"],
      ]),
      change("EVENT", "CREATE", { programID: "p" }),
      ["https://a", "https://b"],
    ],
    [
      "programID matches the event's",
      sub([[["EVENT"], ["DELETE"], "https://a"]], { programID: "p" }),
      change("EVENT", "DELETE", { programID: "p" }),
      ["https://a"],
    ],
    [
      "programID names another program",
      sub([[["EVENT"], ["DELETE"], "https://a"]], { programID: "q" }),
      change("EVENT", "DELETE", { programID: "p" }),
      [],
    ],
    [
      "programID matches the program itself",
      sub([[["PROGRAM"], ["UPDATE"], "https://a"]], { programID: "o1" }),
      change("PROGRAM", "UPDATE", {}),
      ["https://a"],
    ],
    [
      "programID does not narrow vens",
      sub([[["VEN"], ["CREATE"], "https://a"]], { programID: "q" }),
      change("VEN", "CREATE", { clientID: "c1" }),
      ["https://a"],
    ],
    [
      "READ is never notified by a write",
      sub([[["EVENT"], ["READ"], "https://a"]]),
      change("EVENT", "CREATE", { programID: "p" }),
      [],
    ],
  ];
  it.each(cases)("%s", (_name, s, c, urls) => {
    expect(callbacksFor(s, c).map((x) => x.url)).toEqual(urls);
  });

  it("carries the entry's bearer token", () => {
    const s = sub([[["EVENT"], ["CREATE"], "https://a"]]);
    s.objectOperations[0].bearerToken = "tok";
    expect(callbacksFor(s, change("EVENT", "CREATE", { programID: "p" }))).toEqual([
      { url: "https://a", bearerToken: "tok" },
    ]);
  });
});

describe("notification bodies", () => {
  it("is openadr3.yaml's notification, with the object's targets", () => {
    const c = change("EVENT", "CREATE", { programID: "p", targets: ["g", "h"] });
    expect(notificationOf(c)).toEqual({
      objectType: "EVENT",
      operation: "CREATE",
      object: c.object,
      targets: ["g", "h"],
    });
    expect(notificationOf(change("REPORT", "DELETE", {})).targets).toBeNull();
    expect(programOf(c)).toBe("p");
    expect(programOf(change("RESOURCE", "CREATE", {}))).toBeUndefined();
  });

  it("the outbox's text of a notification is JSON.stringify's, the object's text taken as the store wrote it", () => {
    const cases = [
      change("EVENT", "CREATE", {
        programID: "p",
        targets: ["g", "h"],
        intervals: [{ id: 0, payloads: [{ values: [1.5, -2] }] }],
      }),
      change("REPORT", "DELETE", { reportName: 'quote " backslash \\ ünïcode \u2028', resources: [] }),
      change("VEN", "UPDATE", { targets: null, attributes: [{ type: "x", values: [null, true] }] }),
    ];
    // One object's text memoised before (jsonOf), as the store's insert leaves it.
    jsonOf(cases[0].object as object);
    for (const c of cases) expect(notificationJson(c)).toBe(JSON.stringify(notificationOf(c)));
    expect(JSON.parse(notificationJson(cases[1])).object.reportName).toBe('quote " backslash \\ ünïcode \u2028');
  });

  it("a subscriber's body hides targets in the object and the notification alike", () => {
    const shared = JSON.stringify(notificationOf(change("EVENT", "CREATE", { targets: ["g", "h"] })));
    expect(bodyFor(shared, null)).toBe(shared);
    const b = JSON.parse(bodyFor(shared, JSON.stringify(["g"])));
    expect(b.targets).toEqual(["g"]);
    expect(b.object.targets).toEqual(["g"]);
    expect(b.object.id).toBe("o1");
  });
});
