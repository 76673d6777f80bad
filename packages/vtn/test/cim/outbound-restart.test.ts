// Outbound CIM messages are durable: a reply whose ReplyAddress is down stays queued across a
// restart of the VTN and is delivered once the address answers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestVtn, TEST_VTN_CONFIG, testStoreConfig } from "@gridlink/vtn/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createVtn } from "../../src/index.ts";
import { postCim, request, startXmlReceiver } from "./cim-client.ts";

const dir = mkdtempSync(join(tmpdir(), "gridlink-cim-restart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the CIM outbox across a restart", () => {
  it("a reply queued while its address is down is delivered after the VTN restarts", async () => {
    // An address that refuses connections now and listens later (the same port).
    const probe = await startXmlReceiver();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const retry = { webhookRetryBaseMs: 400, webhookRetryMaxMs: 400 };
    const t = await startTestVtn({ dataDir: dir, ...retry });
    const r = await postCim(
      t,
      await t.token(t.bl),
      request({
        verb: "get",
        noun: "EndDeviceEvents",
        messageID: "durable-1",
        extra: `<msg:AsyncReplyFlag>true</msg:AsyncReplyFlag><msg:ReplyAddress>http://127.0.0.1:${port}/late</msg:ReplyAddress>`,
      }),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    await new Promise((res) => setTimeout(res, 200)); // the first attempt fails: connection refused
    await t.vtn.close();

    const rx = await startXmlReceiver(() => 200, port);
    const again = await createVtn({ ...TEST_VTN_CONFIG, ...(await testStoreConfig(dir)), ...retry, dataDir: dir });
    try {
      await again.listen();
      await expect.poll(() => rx.received.length, { timeout: 8000 }).toBe(1);
      expect(rx.received[0].path).toBe("/late");
      expect(rx.received[0].msg.Header.CorrelationID).toBe("durable-1");
    } finally {
      await again.close();
      await rx.close();
    }
  });
});
