import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createVtn } from "@gridlink/vtn";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const CLI = ["--import", "tsx", "packages/cli/src/main.ts"];

async function gridlink(...args: string[]) {
  try {
    const r = await run(process.execPath, [...CLI, ...args], { cwd: process.cwd() });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts a VTN on `dataDir` and asks it for a token with these credentials. */
async function tokenRequest(dataDir: string, id: string, secret: string) {
  const vtn = await createVtn({ dataDir, port: 0, host: "127.0.0.1", logLevel: "silent", demo: false });
  try {
    const url = await vtn.listen();
    const res = await fetch(`${url}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
    });
    return { status: res.status, body: (await res.json()) as { scope: string; token_type: string; error: string } };
  } finally {
    await vtn.close();
  }
}

describe("gridlink clients", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-cli-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  let id = "";
  let secret = "";

  it("adds a VEN client whose printed credentials get a token with VEN scopes", async () => {
    const added = await gridlink("clients", "add", "--role", "ven", "--name", "site-1", "--data-dir", dataDir);
    expect(added.code).toBe(0);
    id = /client_id=(\S+)/.exec(added.stdout)?.[1] ?? "";
    secret = /client_secret=(\S+)/.exec(added.stdout)?.[1] ?? "";
    expect(id).toMatch(/^ven-site-1-/);
    expect(secret.length).toBeGreaterThan(20);
    const { status, body } = await tokenRequest(dataDir, id, secret);
    expect(status).toBe(200);
    expect(body.token_type).toBe("Bearer");
    expect(body.scope.split(" ")).toContain("write_reports");
    expect(body.scope.split(" ")).not.toContain("write_programs");
  });

  it("lists clients without their secrets, and disabled clients get no token", async () => {
    const list = await gridlink("clients", "list", "--data-dir", dataDir);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ven-site-1-\S+\tven\tsite-1/);
    expect(list.stdout).not.toMatch(/secret/i);
    const disabled = await gridlink("clients", "disable", id, "--data-dir", dataDir);
    expect(disabled.code).toBe(0);
    expect((await gridlink("clients", "list", "--data-dir", dataDir)).stdout).toMatch(/\tdisabled/);
    const refused = await tokenRequest(dataDir, id, secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
  });

  it("refuses a duplicate name, an unknown role and a missing flag with a message and a non-zero exit", async () => {
    const dup = await gridlink("clients", "add", "--role", "ven", "--name", "site-1", "--data-dir", dataDir);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const role = await gridlink("clients", "add", "--role", "king", "--name", "x", "--data-dir", dataDir);
    expect(role.stderr).toMatch(/unknown role "king"/);
    const missing = await gridlink("clients", "add", "--role", "ven", "--data-dir", dataDir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--name/);
    expect(readFileSync(join(dataDir, "jwt-signing-key"), "utf8").length).toBeGreaterThan(20);
  });
});
