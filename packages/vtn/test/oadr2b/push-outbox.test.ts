// 2.0b push is a delivery of the notifier's outbox (channel OADR2B): a push VEN whose endpoint
// keeps failing gets its retries and then a dead letter, which the BL sees in GET
// /gridlink/deliveries and `gridlink notifications`, and puts back; a VEN sees its own pushes
// only, never another VEN's.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startTestVtn, type TestVtn, testStoreEnv } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startXmlReceiver } from "../cim/cim-client.ts";
import { Ven2b } from "./client.ts";

const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));

let t: TestVtn;
let failing: Awaited<ReturnType<typeof startXmlReceiver>>;
let working: Awaited<ReturnType<typeof startXmlReceiver>>;
let fixed = false;

beforeAll(async () => {
  t = await startTestVtn({ webhookRetryBaseMs: 20, webhookRetryMaxMs: 50, webhookMaxAttempts: 3 });
  // A VEN's push endpoint: records what it is sent; answers 503 until fixed.
  failing = await startXmlReceiver(() => (fixed ? 200 : 503));
  working = await startXmlReceiver();
});
afterAll(async () => {
  await t.close();
  await failing.close();
  await working.close();
});

// biome-ignore lint/suspicious/noExplicitAny: delivery views as JSON
type View = any;

describe("2.0b push through the notifier's outbox", () => {
  let dead: View;

  it("a push VEN whose endpoint fails is retried, then dead-lettered; the BL sees it in GET /gridlink/deliveries", async () => {
    const origin = new URL(t.url).origin;
    const r0 = await new Ven2b(origin, await t.token(t.vens[0])).register({ pull: false, address: failing.url });
    const r1 = await new Ven2b(origin, await t.token(t.vens[1])).register({ pull: false, address: working.url });
    expect([r0.body.eiResponse.responseCode, r1.body.eiResponse.responseCode]).toEqual(["200", "200"]);
    const bl = await t.token(t.bl);
    const deadOnes = async () =>
      (await t.call(bl, "GET", "/gridlink/deliveries?channel=OADR2B&state=DEAD")).body as View[];
    await expect.poll(async () => (await deadOnes()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    dead = (await deadOnes())[0];
    expect(dead).toMatchObject({
      channel: "OADR2B",
      state: "DEAD",
      clientID: t.vens[0].clientId,
      callbackUrl: failing.url,
      attempts: 3,
      lastStatus: 503,
    });
    expect(dead.lastError).toContain("answered 503");
    // Every attempt reached the endpoint (three POSTs of the VTN's oadrRegisterReport).
    expect(failing.attempts()).toBeGreaterThanOrEqual(3);
    expect(failing.received).toEqual([]);
    // The other VEN's push went through the same outbox and was delivered.
    await expect.poll(() => working.received.map((p) => p.path)).toContain("/OpenADR2/Simple/2.0b/EiReport");
    // The worker records the delivery after the receiver has answered, so the record may trail
    // the receipt by a commit: poll it.
    const deliveredToWorking = async () =>
      ((await t.call(bl, "GET", "/gridlink/deliveries?channel=OADR2B&state=DELIVERED")).body as View[]).some(
        (d) => d.clientID === t.vens[1].clientId && d.lastStatus === 200,
      );
    await expect.poll(deliveredToWorking, { timeout: 10_000 }).toBe(true);
    const summary = (await t.call(bl, "GET", "/gridlink/deliveries/summary")).body;
    expect(summary.counts.OADR2B.DEAD).toBeGreaterThanOrEqual(1);
    expect(summary.metrics.channels.OADR2B.deadLetters).toBeGreaterThanOrEqual(1);
  });

  it("`gridlink notifications list --channel oadr2b --state dead` shows the dead letter", async () => {
    const env = { ...process.env, ...(await testStoreEnv(t.dataDir)) };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "packages/cli/src/main.ts",
        "notifications",
        "list",
        "--channel",
        "oadr2b",
        "--state",
        "dead",
        "--data-dir",
        t.dataDir,
      ],
      { cwd: ROOT, env },
    );
    const line = stdout.split("\n").find((l) => l.startsWith(dead.id)) ?? "";
    expect(line).toContain("DEAD\tOADR2B");
    expect(line).toContain(failing.url);
    expect(line).toContain("answered 503");
  }, 120_000);

  it("a VEN sees its own 2.0b deliveries only, never another VEN's", async () => {
    const mine = (await t.call(await t.token(t.vens[0]), "GET", "/gridlink/deliveries?channel=OADR2B")).body as View[];
    expect(mine.map((d) => d.id)).toContain(dead.id);
    expect(mine.every((d) => d.clientID === t.vens[0].clientId)).toBe(true);
    const other = await t.token(t.vens[1]);
    const theirs = (await t.call(other, "GET", "/gridlink/deliveries")).body as View[];
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((d) => d.clientID === t.vens[1].clientId)).toBe(true);
    expect(theirs.map((d) => d.id)).not.toContain(dead.id);
    expect((await t.call(other, "GET", `/gridlink/deliveries/${dead.id}`)).status).toBe(404);
    expect((await t.call(other, "POST", `/gridlink/deliveries/${dead.id}/retry`)).status).toBe(404);
  });

  it("put back by the BL, the dead letter is sent again and the VEN gets what is due now", async () => {
    fixed = true;
    const bl = await t.token(t.bl);
    const r = await t.call(bl, "POST", `/gridlink/deliveries/${dead.id}/retry`);
    expect(r.status).toBe(200);
    await expect
      .poll(async () => (await t.call(bl, "GET", `/gridlink/deliveries/${dead.id}`)).body.state, { timeout: 10_000 })
      .toBe("DELIVERED");
    expect(failing.received.map((p) => p.path)).toContain("/OpenADR2/Simple/2.0b/EiReport");
    expect(failing.received.find((p) => p.path.endsWith("/EiReport"))?.text).toContain("oadrRegisterReport");
  });
});
