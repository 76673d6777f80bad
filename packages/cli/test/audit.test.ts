// `gridlink audit` and the trail of what the CLI itself does (IEC 62443-3-3 SR 2.8): a client
// disabled with `gridlink clients disable` is recorded as a revocation from "local", and the
// auditor reads it with `gridlink audit`.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const CLI = ["--import", "tsx", "packages/cli/src/main.ts"];
const gridlink = async (...args: string[]) =>
  (await run(process.execPath, [...CLI, ...args], { cwd: process.cwd() })).stdout;

describe("gridlink audit", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-audit-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("shows the revocation the CLI made, with who, when, from where and the outcome", async () => {
    const added = await gridlink("clients", "add", "--role", "auditor", "--name", "aud-1", "--data-dir", dataDir);
    const id = /client_id=(\S+)/.exec(added)?.[1] ?? "";
    const secret = /client_secret=(\S+)/.exec(added)?.[1] ?? "";
    await gridlink("clients", "disable", id, "--data-dir", dataDir);
    const out = await gridlink("audit", "--data-dir", dataDir, "--action", "disable");
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("at\tclient\trole\taddress\taction\ttarget\toutcome\tdetail");
    const [at, who, , address, action, target, outcome, detail] = lines[1].split("\t");
    expect(Date.parse(at)).not.toBeNaN();
    expect([who, address, action, target, outcome, detail]).toEqual([
      "local-admin",
      "local",
      "disable client",
      id,
      "ok",
      "revocation",
    ]);
    expect(out).not.toContain(secret);
  });
});
