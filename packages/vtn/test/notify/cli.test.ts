// `gridlink notifications`: lists dead letters of a running VTN's data dir, retries one (the VTN
// delivers it), summarises, and prints the Mosquitto ACL.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  type Receiver,
  startReceiver,
  startTestVtn,
  subscription,
  type TestVtn,
  testStoreEnv,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
/** The test VTN's store (its PostgreSQL database on the PostgreSQL run), for the CLI. */
let storeEnv: Record<string, string> = {};
const run = async (...args: string[]) =>
  (
    await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "packages/cli/src/main.ts", "notifications", ...args],
      { cwd: ROOT, env: { ...process.env, ...storeEnv } },
    )
  ).stdout;

describe("gridlink notifications", () => {
  let t: TestVtn;
  let rx: Receiver;
  let fixed = false;
  beforeAll(async () => {
    t = await startTestVtn({ webhookRetryBaseMs: 20, webhookRetryMaxMs: 50, webhookMaxAttempts: 2 });
    rx = await startReceiver({ answer: () => ({ status: fixed ? 200 : 500 }) });
    storeEnv = await testStoreEnv(t.dataDir);
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it("lists a dead letter, retries it, and the running VTN delivers it", async () => {
    const bl = await t.token(t.bl);
    await t.call(bl, "POST", "/subscriptions", subscription(`${rx.url}/cb`, ["PROGRAM"], ["CREATE"]));
    const p = (await t.call(bl, "POST", "/programs", { programName: "cli" })).body;
    const deadLetter = async (): Promise<string> =>
      (await t.call(bl, "GET", "/gridlink/deliveries?state=dead")).body[0]?.id ?? "";
    await expect.poll(deadLetter, { interval: 30, timeout: 5_000 }).not.toBe("");
    const dead = await deadLetter();
    const listed = await run("list", "--state", "dead", "--data-dir", t.dataDir);
    expect(listed).toContain(dead);
    expect(listed).toContain(`PROGRAM CREATE ${p.id}`);
    expect(listed).toContain("answered 500");
    expect(await run("summary", "--data-dir", t.dataDir)).toMatch(/WEBHOOK\tpending \d+\tdelivered \d+\tdead 1/);
    fixed = true;
    expect(await run("retry", dead, "--data-dir", t.dataDir)).toContain("retried 1");
    const [got] = await rx.waitFor(1, 5000);
    expect(got.headers["webhook-id"]).toBe(dead);
  }, 30_000);

  it("prints the ACL for an external Mosquitto", async () => {
    const acl = await run("mosquitto-acl", "--publisher", "vtn-pub", "--data-dir", t.dataDir);
    expect(acl).toContain("user vtn-pub\ntopic write #");
    expect(acl).toContain(`user ${t.bl.clientId}\ntopic read #`);
    expect(acl).toContain(`user ${t.vens[0].clientId}\ntopic read events/vens/${t.vens[0].venID}/#`);
  }, 30_000);
});
