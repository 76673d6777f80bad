// Site configuration: the sample in the repo, credentials from the VTN's demo file, clear errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildSite, HOME_TEMPLATE, loadSiteConfig, parseSiteConfig, SiteConfigError, varySite } from "../src/index.ts";

const sample = parse(readFileSync(new URL("../../../examples/site.yaml", import.meta.url), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "gridlink-cfg-"));
const demo = join(dir, "demo-credentials.json");
writeFileSync(
  demo,
  JSON.stringify({
    bl: { clientId: "bl", clientSecret: "x" },
    vens: [
      { clientId: "v1", clientSecret: "s1", venName: "demo-ven-1" },
      { clientId: "v2", clientSecret: "s2", venName: "demo-ven-2" },
    ],
  }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("site config", () => {
  it("reads the sample with the VTN's demo credentials", () => {
    const cfg = parseSiteConfig({ ...sample, vtn: { ...sample.vtn, credentialsFile: demo } }, {});
    // No VTN wrote vtn.json into the credentials' folder: the default port.
    expect(cfg.vtn).toEqual({
      profile: "3.1",
      url: "http://127.0.0.1:8080/openadr3/3.1.0",
      urlFrom: "default",
      clientId: "v1",
      clientSecret: "s1",
    });
    expect(cfg.venName).toBe("demo-ven-1");
    expect(cfg.site.resources.map((r) => r.type)).toEqual(["load", "pv", "battery", "ev", "heatpump"]);
    expect(buildSite(cfg).resourceNames).toEqual(["house", "roof-pv", "battery", "ev-charger", "heat-pump"]);
  });

  it("takes credentials and the VTN URL from the environment", () => {
    const cfg = parseSiteConfig(sample, {
      GRIDLINK_VEN_CLIENT_ID: "env-id",
      GRIDLINK_VEN_CLIENT_SECRET: "env-secret",
      GRIDLINK_VTN_URL: "http://vtn:9/x",
    });
    expect(cfg.vtn).toEqual({
      profile: "3.1",
      url: "http://vtn:9/x",
      urlFrom: "env",
      clientId: "env-id",
      clientSecret: "env-secret",
    });
  });

  it('speaks OpenADR 2.0b when vtn.profile says "2.0b": at the 2.0b URL given, or beside a 3.1 one', () => {
    const vtn = { ...sample.vtn, credentialsFile: demo, profile: "2.0b" };
    const given = parseSiteConfig({ ...sample, vtn: { ...vtn, url: "http://h:1/OpenADR2/Simple/2.0b" } }, {});
    expect(given.vtn).toMatchObject({ profile: "2.0b", url: "http://h:1/OpenADR2/Simple/2.0b" });
    const beside = parseSiteConfig({ ...sample, vtn }, {});
    expect(beside.vtn.url).toBe("http://127.0.0.1:8080/OpenADR2/Simple/2.0b");
    expect(() => parseSiteConfig({ ...sample, vtn: { ...vtn, profile: "2.0a" } }, {})).toThrow(
      'vtn.profile must be "3.1" or "2.0b", got "2.0a"',
    );
  });

  it("2.0b: vtn.tls and vtn.signing name PEM files (read at start); MQTT is refused; 3.1 takes neither", () => {
    const dir = mkdtempSync(join(tmpdir(), "gridlink-cfg-2b-"));
    try {
      const file = (n: string, text: string) => {
        writeFileSync(join(dir, n), text);
        return join(dir, n);
      };
      const cert = file("ven.pem", "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n");
      const key = file("ven.key", "-----BEGIN PRIVATE KEY-----\nB\n-----END PRIVATE KEY-----\n");
      const vtn = { ...sample.vtn, credentialsFile: demo, profile: "2.0b" };
      const cfg = parseSiteConfig({ ...sample, vtn: { ...vtn, tls: { cert, key }, signing: { key, cert } } }, {});
      expect(cfg.vtn.tls).toEqual({ cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8"), ca: undefined });
      expect(cfg.vtn.signing).toEqual({
        privateKey: readFileSync(key, "utf8"),
        certificate: readFileSync(cert, "utf8"),
      });
      expect(() => parseSiteConfig({ ...sample, vtn: { ...vtn, tls: { cert: "/nope.pem", key } } }, {})).toThrow(
        'vtn.tls.cert must name a PEM file, got "/nope.pem"',
      );
      expect(() => parseSiteConfig({ ...sample, vtn: { ...vtn, tls: { cert } } }, {})).toThrow(
        "give cert and key together",
      );
      expect(() => parseSiteConfig({ ...sample, vtn, intake: { mode: "mqtt" } }, {})).toThrow(
        "intake.mode mqtt is not offered over OpenADR 2.0b",
      );
      expect(() =>
        parseSiteConfig({ ...sample, vtn: { ...sample.vtn, credentialsFile: demo, tls: { cert, key } } }, {}),
      ).toThrow('vtn.tls is for vtn.profile "2.0b"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("follows the VTN of the data dir to the URL it wrote at its start, unless the config names one", () => {
    const vtnDir = mkdtempSync(join(tmpdir(), "gridlink-cfg-vtn-"));
    const other = mkdtempSync(join(tmpdir(), "gridlink-cfg-vtn-"));
    try {
      const creds = join(vtnDir, "demo-credentials.json");
      writeFileSync(creds, readFileSync(demo));
      writeFileSync(join(vtnDir, "vtn.json"), JSON.stringify({ url: "http://127.0.0.1:18123/openadr3/3.1.0" }));
      const cfg = parseSiteConfig({ ...sample, vtn: { ...sample.vtn, credentialsFile: creds } }, {});
      expect(cfg.vtn).toMatchObject({ url: "http://127.0.0.1:18123/openadr3/3.1.0", urlFrom: "data dir" });
      writeFileSync(join(other, "vtn.json"), JSON.stringify({ url: "http://127.0.0.1:18124/openadr3/3.1.0" }));
      expect(
        parseSiteConfig({ ...sample, vtn: { ...sample.vtn, credentialsFile: creds } }, { GRIDLINK_DATA_DIR: other }).vtn
          .url,
      ).toBe("http://127.0.0.1:18124/openadr3/3.1.0");
      const named = parseSiteConfig(
        { ...sample, vtn: { ...sample.vtn, credentialsFile: creds, url: "http://x:1/y" } },
        {},
      );
      expect(named.vtn).toMatchObject({ url: "http://x:1/y", urlFrom: "config" });
    } finally {
      rmSync(vtnDir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it.each([
    [
      "a missing credentials file",
      { vtn: { credentialsFile: "/nope.json" } },
      /credentialsFile \/nope.json does not exist/,
    ],
    [
      "an unknown resource type",
      { site: { name: "s", resources: [{ type: "boiler", name: "b" }] } },
      /site.resources\[0\].type must be one of/,
    ],
    [
      "a battery without capacity",
      { site: { name: "s", resources: [{ type: "battery", name: "b", maxChargeKw: 1, maxDischargeKw: 1 }] } },
      /site.resources\[0\].capacityKwh must be a number ≥ 0/,
    ],
    [
      "an EV without sessions",
      { site: { name: "s", resources: [{ type: "ev", name: "car", maxKw: 11 }] } },
      /site.resources\[0\].sessions must list/,
    ],
    ["a bad speed", { simulation: { speed: "fast" } }, /simulation.speed must be a number/],
  ])("names the problem: %s", (_n, patch, message) => {
    const raw = { ...sample, vtn: { ...sample.vtn, credentialsFile: demo }, ...patch };
    expect(() => parseSiteConfig(raw, {})).toThrow(message);
    expect(() => parseSiteConfig(raw, {})).toThrow(SiteConfigError);
  });

  it("names the file when loading fails", () => {
    expect(() => loadSiteConfig(join(dir, "missing.yaml"))).toThrow(/missing.yaml does not exist/);
  });

  it("varies a fleet of sites deterministically", () => {
    const a = varySite(HOME_TEMPLATE, 7);
    expect(varySite(HOME_TEMPLATE, 7)).toEqual(a);
    expect(new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(varySite(HOME_TEMPLATE, i)))).size).toBe(20);
    expect(a[0].type).toBe("load");
  });
});
