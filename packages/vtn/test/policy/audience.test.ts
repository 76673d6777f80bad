// The audience of a change (core/policy/audience.ts): who hears of it, shown how. A table of
// cases over core's policy; the granted targets come from a map instead of ven objects (the
// channels' tests run the same rules against a real VTN: privacy-table.test.ts).
import { describe, expect, it } from "vitest";
import { createPolicy, type Listener, principalFor } from "../../src/core/index.ts";
import type { Change } from "../../src/store/types.ts";

const change = (kind: Change["kind"], operation: Change["operation"], object: Record<string, unknown>): Change =>
  ({ kind, operation, object: { id: "o1", ...object } }) as unknown as Change;

const granted: Record<string, string[]> = { c1: ["g"], c2: [] };
const policy = createPolicy({
  grantedTargets: async (c) => new Set(granted[c] ?? []),
  grantedTargetsOf: async (ids) => new Map(ids.map((c) => [c, new Set(granted[c] ?? [])])),
  // Pages of vens and listeners (venTopicPage, viewsFor) are tested against a real store:
  // audience-pages.test.ts.
  venOwners: async () => [],
});
const ven = (targets?: string[]): Listener => ({ principal: principalFor("ven", "c1"), targets });
const bl = (targets?: string[]): Listener => ({ principal: principalFor("bl", "bl"), targets });

describe("the audience of a change", () => {
  const cases: Array<[string, Change, Listener, unknown]> = [
    ["untargeted event, VEN", change("EVENT", "CREATE", { targets: null }), ven(), {}],
    ["event targeted at a granted target", change("EVENT", "CREATE", { targets: ["g"] }), ven(), {}],
    ["event targeted elsewhere", change("EVENT", "CREATE", { targets: ["h"] }), ven(), undefined],
    ["target hiding", change("PROGRAM", "UPDATE", { targets: ["g", "h"] }), ven(), { shownTargets: ["g"] }],
    [
      "subscription targets narrow a VEN's events",
      change("EVENT", "CREATE", { targets: ["g"] }),
      ven(["x"]),
      undefined,
    ],
    ["BL sees all targets", change("EVENT", "CREATE", { targets: ["g", "h"] }), bl(), {}],
    ["own report", change("REPORT", "CREATE", { clientID: "c1" }), ven(), {}],
    ["another VEN's report", change("REPORT", "CREATE", { clientID: "c2" }), ven(), undefined],
    ["another VEN's subscription", change("SUBSCRIPTION", "DELETE", { clientID: "c2" }), ven(), undefined],
    ["BL and any report", change("REPORT", "UPDATE", { clientID: "c2" }), bl(), {}],
    ["own ven", change("VEN", "UPDATE", { clientID: "c1", targets: ["x"] }), ven(), {}],
    ["another VEN's resource", change("RESOURCE", "CREATE", { clientID: "c2" }), ven(), undefined],
    [
      "subscription targets filter vens",
      change("VEN", "UPDATE", { clientID: "c1", targets: ["x"] }),
      bl(["y"]),
      undefined,
    ],
    [
      "subscription targets match vens",
      change("RESOURCE", "UPDATE", { clientID: "c1", targets: ["x", "y"] }),
      bl(["y"]),
      {},
    ],
  ];
  it.each(cases)("%s", async (_name, c, listener, expected) => {
    expect(await policy.audience.viewFor(c, listener)).toEqual(expected);
  });

  it("a VEN-scoped MQTT topic carries a program or event as that VEN would read it", async () => {
    const c = change("EVENT", "UPDATE", { targets: ["g", "h"] });
    expect(await policy.audience.venTopicView(c, "c1")).toEqual({ shownTargets: ["g"] });
    expect(await policy.audience.venTopicView(c, "c2")).toBeUndefined();
  });
});
