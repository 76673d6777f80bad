// Two VTN processes on one PostgreSQL database (the PostgreSQL half only): what one instance
// remembers of a VEN's polls (bindings/oadr2b/poll-cache.ts) is not stale after a write through
// the other — a core change (heard through the store's change feed, a few ms after its commit)
// or a write of the 2.0b binding itself (a queued message: the registration's due_version, read
// on every poll, so at once).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropTestDatabase, startVtnProcess, until, type VtnProcess } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, type Reply, Ven2b } from "./client.ts";

type Creds = { clientId: string; clientSecret: string; venID?: string; venName?: string };

async function tokenOf(base: string, c: Creds): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
  });
  const res = await fetch(`${base}/auth/token`, { method: "POST", body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("a 2.0b VEN polling one instance, writes through the other", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-2b-multi-"));
  let a: VtnProcess;
  let b: VtnProcess;
  let bl: string;
  let venOnB: Ven2b;
  let venID: string;
  let venName: string;
  const callA = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${a.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bl}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id: string } };
  };
  /** Polls through b until nothing is due, then once more (remembered on b now). */
  const settle = async () => {
    await venOnB.drain(venID);
    expect((await venOnB.poll(venID)).name).toBe("oadrResponse");
  };

  beforeAll(async () => {
    a = await startVtnProcess(dataDir, { mqttBroker: "none" });
    b = await startVtnProcess(dataDir, { mqttBroker: "none" });
    const creds = JSON.parse(readFileSync(join(dataDir, "demo-credentials.json"), "utf8"));
    bl = await tokenOf(a.url, creds.bl);
    venName = creds.vens[0].venName;
    // Registered through a, polled through b.
    const onA = new Ven2b(new URL(a.url).origin, await tokenOf(a.url, creds.vens[0]));
    const reg = await onA.register();
    expect(code(reg)).toBe("200");
    venID = reg.body.venID[0];
    venOnB = new Ven2b(new URL(b.url).origin, await tokenOf(b.url, creds.vens[0]));
  }, 40_000);
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await dropTestDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("an event created through a reaches the VEN's next polls through b", async () => {
    await settle();
    const programID = (await callA("POST", "/programs", { programName: "two-instances" })).body.id;
    const created = await callA("POST", "/events", {
      programID,
      targets: [venName],
      intervalPeriod: { start: "2031-06-01T12:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    expect(created.status).toBe(201);
    let got: Reply | undefined;
    await until("b's poll carries the event", async () => {
      const r = await venOnB.poll(venID);
      if (r.name === "oadrDistributeEvent") got = r;
      return got !== undefined;
    });
    expect(
      got?.body.oadrEvent.map(
        (e: { eiEvent: { eventDescriptor: { eventID: string } } }) => e.eiEvent.eventDescriptor.eventID,
      ),
    ).toEqual([created.body.id]);
  });

  it("a message queued through a (oadrRequestReregistration) is b's very next poll answer", async () => {
    await settle();
    expect((await callA("POST", `/vens/${venID}/oadr2b/reregistration`)).status).toBe(202);
    const r = await venOnB.poll(venID);
    expect(r.name).toBe("oadrRequestReregistration");
    expect(r.body.venID).toEqual([venID]);
  });
});
