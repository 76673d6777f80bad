import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@gridlink/vtn";
import { describe, expect, it } from "vitest";

describe("configuration", () => {
  it("merges defaults < file < environment < flags", () => {
    const dir = mkdtempSync(join(tmpdir(), "gridlink-cfg-"));
    try {
      const file = join(dir, "vtn.json");
      writeFileSync(file, JSON.stringify({ port: 9000, logLevel: "warn", tokenTtlSeconds: 600 }));
      const c = loadConfig({
        file,
        env: { GRIDLINK_PORT: "9100", GRIDLINK_DATA_DIR: dir },
        overrides: { logLevel: "error" },
      });
      expect(c.port).toBe(9100);
      expect(c.logLevel).toBe("error");
      expect(c.tokenTtlSeconds).toBe(600);
      expect(c.dataDir).toBe(dir);
      expect(c.host).toBe("127.0.0.1");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ GRIDLINK_PORT: "http" }, /GRIDLINK_PORT: port must be a whole number/],
    [{ GRIDLINK_PORT: "70000" }, /port must be 0-65535/],
    [{ GRIDLINK_LOG_LEVEL: "loud" }, /logLevel must be one of/],
    [{ GRIDLINK_DEMO: "maybe" }, /GRIDLINK_DEMO: demo must be true or false/],
    [{ GRIDLINK_SQLITE_SYNC: "sometimes" }, /sqliteSync must be normal or full/],
    [{ GRIDLINK_JWKS_URL: "https://idp.example/jwks" }, /also set GRIDLINK_JWT_ISSUER/],
    [{ GRIDLINK_HEAP_GROWING_PERCENT: "400" }, /heapGrowingPercent must be auto or 0-300/],
    [{ GRIDLINK_HEAP_GROWING_PERCENT: "1.5" }, /heapGrowingPercent must be auto or 0-300 \(0: V8's own\), got "1.5"/],
    [{ GRIDLINK_HEAP_GROWING_PERCENT: "lots" }, /heapGrowingPercent must be auto or 0-300/],
  ])("refuses %j with a message naming the setting", (env, message) => {
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it("takes the old generation's growth from the environment, auto by default", () => {
    expect(loadConfig({ env: {} }).heapGrowingPercent).toBe("auto");
    expect(loadConfig({ env: { GRIDLINK_HEAP_GROWING_PERCENT: "50" } }).heapGrowingPercent).toBe(50);
    expect(loadConfig({ env: { GRIDLINK_HEAP_GROWING_PERCENT: "0" } }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ env: { GRIDLINK_HEAP_GROWING_PERCENT: "300" } }).heapGrowingPercent).toBe(300);
  });

  it("refuses an unknown key or broken JSON in the config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "gridlink-cfg-"));
    try {
      const bad = join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ prot: 1 }));
      expect(() => loadConfig({ file: bad, env: {} })).toThrow(/unknown key "prot"/);
      writeFileSync(bad, "{ port: 1");
      expect(() => loadConfig({ file: bad, env: {} })).toThrow(/not valid JSON/);
      expect(() => loadConfig({ file: join(dir, "none.json"), env: {} })).toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
