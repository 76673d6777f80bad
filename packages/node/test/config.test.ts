// The node config: examples/node.yaml parses; wrong values are named.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadNodeConfig, parseNodeConfig } from "../src/config.ts";

const example = fileURLToPath(new URL("../../../examples/node.yaml", import.meta.url));

describe("node configuration", () => {
  it("reads examples/node.yaml", () => {
    const c = loadNodeConfig(example, {});
    expect(c.name).toBe("aggregator-1");
    expect(c.upstream.resourceName).toBe("aggregator-1-fleet");
    expect(c.vtn.port).toBe(8081);
    expect(c.split).toEqual({ policy: "proportional", costs: { "site-1": 0.1, "site-2": 0.25 } });
  });

  it("names the wrong value", () => {
    const base = { name: "n", upstream: { url: "http://u", clientId: "c", clientSecret: "s" } };
    expect(() => parseNodeConfig({ ...base, split: { policy: "random" } }, {})).toThrow(/split.policy must be one of/);
    expect(() => parseNodeConfig({ ...base, vtn: { prot: 1 } }, {})).toThrow(/vtn.prot is not a VTN setting/);
    expect(() => parseNodeConfig({ name: "n", upstream: { url: "ftp://u" } }, {})).toThrow(/upstream.url/);
  });
});
