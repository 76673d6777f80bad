// The 2.0b push and the CIM EventMessages are deliveries of the notifier's outbox: a VTN killed
// (kill -9) while both are pending — their endpoints down — sends them after it is started again.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVtnProcess, type TestVtn, type VtnProcess } from "@gridlink/vtn/testing";
import { afterAll, describe, expect, it } from "vitest";
import { postCim, request, startXmlReceiver } from "../cim/cim-client.ts";
import { Ven2b } from "../oadr2b/client.ts";

// Retries every 300 ms, many times: the deliveries stay pending across the kill.
const config = {
  webhookRetryBaseMs: 300,
  webhookRetryMaxMs: 300,
  webhookMaxAttempts: 1000,
  mqttBroker: "none",
} as const;

describe("2.0b push and CIM EventMessages across kill -9", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-restart-bindings-"));
  let running: VtnProcess | undefined;
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await running?.kill();
    await Promise.all(closers.map((c) => c()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a pending push and a pending EventMessage are delivered after the VTN is killed and restarted", async () => {
    // Both endpoints answer 503 until `up`.
    let up = false;
    const ven = await startXmlReceiver(() => (up ? 200 : 503));
    const cim = await startXmlReceiver(() => (up ? 200 : 503));
    closers.push(ven.close, cim.close);
    let vtn = await startVtnProcess(dataDir, config);
    running = vtn;
    const creds = JSON.parse(readFileSync(join(dataDir, "demo-credentials.json"), "utf8"));
    const token = async (c: { clientId: string; clientSecret: string }) => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_secret: c.clientSecret,
      });
      const res = await fetch(`${vtn.url}/auth/token`, { method: "POST", body: form });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const bl = await token(creds.bl);
    const origin = new URL(vtn.url).origin;
    const registered = await new Ven2b(origin, await token(creds.vens[0])).register({ pull: false, address: ven.url });
    expect(registered.body.eiResponse.responseCode).toBe("200");
    const listener = await postCim(
      { url: vtn.url } as TestVtn,
      bl,
      request(
        { verb: "create", noun: "EventSubscription" },
        { request: `<msg:Option><msg:name>address</msg:name><msg:value>${cim.url}/events</msg:value></msg:Option>` },
      ),
    );
    expect(listener.msg.Reply.Result).toBe("OK");

    const call = async (method: string, path: string, body: unknown) =>
      (
        await fetch(`${vtn.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${bl}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json() as Promise<{ id: string }>;
    const program = await call("POST", "/programs", { programName: "survives-kill" });
    const event = await call("POST", "/events", {
      programID: program.id,
      intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    // Both are being tried (and failing) before the kill.
    await expect.poll(() => ven.attempts() > 0 && cim.attempts() > 1, { timeout: 20_000 }).toBe(true);
    await vtn.kill();
    up = true;

    vtn = await startVtnProcess(dataDir, config);
    running = vtn;
    await expect
      .poll(() => ven.received.some((g) => g.path.endsWith("/EiEvent") && g.text.includes(event.id)), {
        timeout: 30_000,
      })
      .toBe(true);
    await expect
      .poll(
        () =>
          cim.received.some(
            (g) => g.path === "/events" && g.text.includes("<msg:Verb>created</msg:Verb>") && g.text.includes(event.id),
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
  }, 180_000);
});
