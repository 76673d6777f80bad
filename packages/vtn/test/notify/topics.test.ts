// MQTT topic names and the VEN-scoped filters a VEN may subscribe to (notify/topics.ts; notifier
// doc §8, §9).

import { venOfTopicFilter as venOfFilter } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import { blTopics, operationTopics, venTopic } from "../../src/notify/topics.ts";
import type { Change } from "../../src/store/types.ts";

const change = (kind: Change["kind"], operation: Change["operation"], object: Record<string, unknown> = {}) =>
  ({ kind, operation, object: { id: "o1", ...object } }) as unknown as Change;

describe("topic names", () => {
  it("per operation, ALL as a wildcard, no CREATE for one object", () => {
    expect(operationTopics("programs")).toEqual({
      CREATE: "programs/create",
      UPDATE: "programs/update",
      DELETE: "programs/delete",
      ALL: "programs/+",
    });
    expect(operationTopics("programs/44", false)).toEqual({
      UPDATE: "programs/44/update",
      DELETE: "programs/44/delete",
      ALL: "programs/44/+",
    });
  });

  it.each([
    [change("PROGRAM", "CREATE"), ["programs/create", "programs/o1/create"]],
    [change("EVENT", "UPDATE", { programID: "p" }), ["events/update", "events/programs/p/update"]],
    [change("REPORT", "DELETE"), ["reports/delete"]],
    [change("SUBSCRIPTION", "CREATE"), ["subscriptions/create"]],
    [change("VEN", "CREATE"), ["vens/create"]],
    [change("VEN", "UPDATE"), ["vens/update", "vens/o1/update"]],
    [change("RESOURCE", "DELETE", { venID: "v" }), ["resources/delete", "resources/vens/v/delete"]],
  ])("BL topics of %# ", (c, topics) => {
    expect(blTopics(c)).toEqual(topics);
  });

  it("VEN-scoped topics of programs and events", () => {
    expect(venTopic(change("EVENT", "CREATE"), "v1")).toBe("events/vens/v1/create");
    expect(venTopic(change("PROGRAM", "DELETE"), "v1")).toBe("programs/vens/v1/delete");
  });
});

describe("VEN-scoped filters", () => {
  it.each([
    ["events/vens/v1/create", "v1"],
    ["events/vens/v1/+", "v1"],
    ["programs/vens/v1/#", "v1"],
    ["resources/vens/v1/update", "v1"],
    ["vens/v1/delete", "v1"],
    ["vens/v1/+", "v1"],
  ])("%s is scoped to %s", (filter, ven) => {
    expect(venOfFilter(filter)).toBe(ven);
  });

  it.each([
    "events/vens/+/create",
    "events/vens/#",
    "events/+",
    "events/create",
    "#",
    "+/vens/v1/create",
    "events/vens/v1/create/x",
    "events/vens/v1/read",
    "reports/vens/v1/create",
    "events/programs/p/create",
    "$SYS/broker",
    "vens/+/update",
  ])("%s is not a VEN-scoped filter", (filter) => {
    expect(venOfFilter(filter)).toBeUndefined();
  });
});
