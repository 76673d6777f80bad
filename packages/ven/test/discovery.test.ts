// Local VTN discovery (Definition.md §Discovery and Configuration of Local VTNs) between the VTN's
// real mDNS responder and the SDK's real browser. The multicast goes out on the machine's default
// multicast interface with loopback on (lo does no multicast here), on a UDP port of the test's
// own instead of 5353, so it neither hears nor disturbs the network's mDNS.
import { type Advertisement, advertiseVtn, vtnTxt } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlClient, discoverVtns, VenClient, vtnBaseUrl } from "../src/index.ts";

const MDNS_PORT = 20_000 + Math.floor(Math.random() * 20_000);

describe("a VEN discovers a local VTN by mDNS/DNS-SD", () => {
  let t: TestVtn;
  let ad: Advertisement;
  beforeAll(async () => {
    // Listening on every address: the advertisement carries the machine's network addresses.
    t = await startTestVtn({ host: "0.0.0.0" });
    const bl = new BlClient({ baseUrl: t.url, ...t.bl });
    await bl.programs.create({ programName: "local-tariff" });
    await bl.programs.create({ programName: "secret-pilot", targets: ["pilot-group"] });
    ad = await advertiseVtn({
      core: t.vtn.core,
      port: Number(new URL(t.url).port),
      scheme: "http",
      name: "Test_VTN",
      hostname: "gridlink-test",
      mdnsPort: MDNS_PORT,
      refreshMs: 300,
    });
  }, 90_000);
  afterAll(async () => {
    await ad?.close();
    await t?.close();
  });

  it("finds the service _openadr3._tcp with the TXT keys of the spec, then talks OpenADR to it", async () => {
    const found = await discoverVtns({ mdnsPort: MDNS_PORT, first: true, timeoutMs: 10_000 });
    expect(found).toHaveLength(1);
    const [v] = found;
    const port = Number(new URL(t.url).port);
    expect(v).toMatchObject({
      name: "Test_VTN",
      host: "gridlink-test.local",
      port,
      version: "3.1.0",
      basePath: "openadr3/3.1.0",
      localUrl: `http://gridlink-test.local:${port}/openadr3/3.1.0`,
      requiresAuth: true,
      openapiUrl: `http://gridlink-test.local:${port}/openadr3/3.1.0/openapi.json`,
    });
    // Only what a VEN without grants may see is named on the network.
    expect(v.programNames).toEqual(["local-tariff"]);
    expect(v.addresses.length).toBeGreaterThan(0);
    // gridlink-test.local resolves nowhere: the SDK falls back to the advertised address.
    const { url, via } = await vtnBaseUrl(v);
    expect(via).toBe("address");
    const ven = new VenClient({ baseUrl: url, ...t.vens[0] });
    expect((await ven.programs.all()).map((p) => p.programName)).toContain("local-tariff");
  });

  it("names a program created later once the advertisement is refreshed", async () => {
    await new BlClient({ baseUrl: t.url, ...t.bl }).programs.create({ programName: "later-tariff" });
    await expect
      .poll(async () => ad.txt.program_names, { timeout: 10_000, interval: 100 })
      .toBe("later-tariff,local-tariff");
    await expect
      .poll(async () => (await discoverVtns({ mdnsPort: MDNS_PORT, first: true, timeoutMs: 3000 }))[0]?.programNames, {
        timeout: 20_000,
        interval: 200,
      })
      .toEqual(["later-tariff", "local-tariff"]);
  });

  it("a browser for another version finds nothing", async () => {
    expect(await discoverVtns({ mdnsPort: MDNS_PORT, version: "4.", timeoutMs: 1500 })).toEqual([]);
  });
});

describe("the TXT record", () => {
  it("fits program_names into one 255-byte TXT string, leaving out the names that do not fit", () => {
    const names = Array.from({ length: 40 }, (_, i) => `program-number-${i}`);
    const txt = vtnTxt({ host: "h.local", port: 443, scheme: "https", programNames: names, requiresAuth: false });
    expect(Buffer.byteLength(`program_names=${txt.program_names}`)).toBeLessThanOrEqual(255);
    const kept = txt.program_names.split(",");
    expect(kept).toEqual(names.slice(0, kept.length));
    expect(kept.length).toBeGreaterThan(5);
    expect(txt).toMatchObject({ local_url: "https://h.local:443/openadr3/3.1.0", requires_auth: "False" });
  });
});
