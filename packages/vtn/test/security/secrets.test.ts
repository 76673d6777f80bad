// Hole 11 of issue 15 (secrets): a webhook bearerToken is write-only (every read and every
// notification shows it masked; a PUT that sends the mask back keeps it), and failed logins from
// one address never lock a client out that logs in from another.
import { request } from "node:http";
import { bodies, startReceiver, startTestVtn, subscription, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** POST /auth/token from a chosen local address (loopback is all of 127.0.0.0/8). */
function tokenFrom(url: string, localAddress: string, clientId: string, secret: string): Promise<number> {
  const u = new URL(`${url}/auth/token`);
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        localAddress,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(form.toString());
  });
}

describe("webhook bearer tokens are write-only", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("BL and the owner read it masked; notifications carry it masked; the receiver still gets the real one", async () => {
    const [bl, ven] = await Promise.all([t.token(t.bl), t.token(t.vens[0])]);
    const venRx = await startReceiver();
    const blRx = await startReceiver();
    try {
      const secret = "ven-webhook-secret-123";
      const body = bodies.subscription(`${venRx.url}/cb`);
      body.objectOperations[0] = { ...body.objectOperations[0], bearerToken: secret } as never;
      const created = await t.call(ven, "POST", "/subscriptions", body);
      expect(created.status).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain(secret);
      // The BL hears of subscription changes too.
      await t.call(bl, "POST", "/subscriptions", subscription(`${blRx.url}/subs`, ["SUBSCRIPTION"], ["UPDATE"]));
      for (const who of [bl, ven]) {
        const list = await t.call(who, "GET", "/subscriptions");
        expect(JSON.stringify(list.body)).not.toContain(secret);
        const one = await t.call(who, "GET", `/subscriptions/${created.body.id}`);
        expect(one.body.objectOperations[0].bearerToken).toBe("********");
      }
      // GET, change the name, PUT back with the mask: the token stays the real one.
      const got = (await t.call(ven, "GET", `/subscriptions/${created.body.id}`)).body;
      const put = await t.call(ven, "PUT", `/subscriptions/${created.body.id}`, { ...got, clientName: "renamed" });
      expect(put.status).toBe(200);
      await expect.poll(() => blRx.received.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(JSON.stringify(blRx.received.map((r) => r.body))).not.toContain(secret);
      // A program change reaches the VEN's callback with its real token.
      await t.call(bl, "POST", "/programs", bodies.program("secret-check"));
      await expect.poll(() => venRx.received.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(venRx.received.at(-1)?.headers.authorization).toBe(`Bearer ${secret}`);
    } finally {
      await venRx.close();
      await blRx.close();
    }
  });
});

describe("login throttling", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn({ tokenRateLimitPerMinute: 5 });
  });
  afterAll(() => t.close());

  it("failed logins with a client's id from one address do not lock that client out elsewhere", async () => {
    const victim = t.vens[0];
    const attacker: number[] = [];
    for (let i = 0; i < 8; i++) attacker.push(await tokenFrom(t.url, "127.0.0.2", victim.clientId, "wrong"));
    expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attacker.slice(5)).toEqual([429, 429, 429]);
    // Guessing from that address stays throttled, even with the right secret; the victim is not.
    expect(await tokenFrom(t.url, "127.0.0.2", victim.clientId, victim.clientSecret)).toBe(429);
    expect(await tokenFrom(t.url, "127.0.0.1", victim.clientId, victim.clientSecret)).toBe(200);
    // Unknown ids are counted per address.
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) unknown.push(await tokenFrom(t.url, "127.0.0.4", `nobody-${i}`, "guess"));
    expect(unknown).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("a client asking for too many tokens is throttled by its id", async () => {
    const c = t.vens[1];
    const got: number[] = [];
    for (let i = 0; i < 7; i++) got.push(await tokenFrom(t.url, "127.0.0.3", c.clientId, c.clientSecret));
    expect(got.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(got.slice(5)).toEqual([429, 429]);
  });
});
