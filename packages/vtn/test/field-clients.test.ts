// OpenADR 3 clients from the field work unchanged (issue 9): bodies with an explicit null for
// every unset optional field, credentials in the form or in HTTP Basic, scope lists with scopes
// the client may not hold (RFC 6749 §3.3), JSON sent with the wrong Content-Type, a 5 MB body, a
// fleet fetching a token per call. Every error body is checked against openadr3.yaml `problem`.
import { request } from "node:http";
import { validate } from "@gridlink/model/schema";
import {
  actors,
  bodies,
  expectOk,
  expectProblem,
  type Reply,
  startCallbackServer,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A problem+json answer that is a valid openadr3.yaml `problem` with an absolute `instance`. */
function expectSpecProblem(res: Reply, status: number, mentions?: string): void {
  expectProblem(res, status, mentions);
  expect(validate("problem", res.body)).toEqual([]);
  expect(res.body.instance).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/i);
  expect(res.body.instance).toContain(res.headers.get("x-request-id"));
}

/** What a client fills in for the VTN-owned metadata it does not know yet. */
const NO_METADATA = { id: null, createdDateTime: null, modificationDateTime: null, objectType: null };

async function postToken(t: TestVtn, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/auth/token`, { method: "POST", body: new URLSearchParams(form), headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const basic = (c: { clientId: string; clientSecret: string }) =>
  `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}`;

describe("bodies with explicit nulls for unset optional fields", () => {
  let t: TestVtn;
  let bl: string;
  let ven1: string;
  let programID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    ({ bl, ven1 } = await actors(t));
  });
  afterAll(() => t.close());

  it("a program with only a name and every other field null is created; the nulls read as absent", async () => {
    const created = expectOk(
      await t.call(bl, "POST", "/programs", {
        ...NO_METADATA,
        programName: "nulls-program",
        intervalPeriod: null,
        programDescriptions: null,
        payloadDescriptors: null,
        attributes: null,
        targets: null,
      }),
      201,
    );
    programID = created.id;
    expect(created.programName).toBe("nulls-program");
    expect(created.objectType).toBe("PROGRAM");
    expect(created).not.toHaveProperty("intervalPeriod");
    expect(validate("program", created)).toEqual([]);
  });

  it("an event with nulls at every depth and intervals without their own periods is created and replaced", async () => {
    const event = {
      ...NO_METADATA,
      programID,
      eventName: "nulls-event",
      duration: null,
      priority: null,
      targets: ["demo"],
      reportDescriptors: [
        {
          payloadType: "USAGE",
          readingType: null,
          units: null,
          targets: null,
          aggregate: null,
          startInterval: null,
          numIntervals: null,
          historical: null,
          frequency: null,
          repeat: null,
          reportIntervals: null,
        },
      ],
      payloadDescriptors: [{ objectType: null, payloadType: "SIMPLE", units: null, currency: null }],
      intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H", randomizeStart: null },
      intervals: [
        { id: 0, intervalPeriod: null, payloads: [{ type: "SIMPLE", values: [1] }] },
        { id: 1, intervalPeriod: null, payloads: [{ type: "SIMPLE", values: [2] }] },
      ],
    };
    const created = expectOk(await t.call(bl, "POST", "/events", event), 201);
    expect(validate("event", created)).toEqual([]);
    expect(created.intervals[0]).not.toHaveProperty("intervalPeriod");
    expect(created.intervalPeriod).toEqual({ start: "2030-01-01T00:00:00Z", duration: "PT1H" });
    const replaced = expectOk(
      await t.call(bl, "PUT", `/events/${created.id}`, { ...event, eventName: "nulls-event-2", priority: null }),
    );
    expect(replaced.eventName).toBe("nulls-event-2");
    // The VEN polls it like any other event.
    const seen = expectOk(await t.call(ven1, "GET", `/events/${created.id}`));
    expect(seen.intervals).toHaveLength(2);
  });

  it("a VEN's report with nulls in its resources and intervals is created", async () => {
    const event = expectOk(await t.call(bl, "POST", "/events", bodies.event(programID, { targets: ["demo"] })), 201);
    const report = expectOk(
      await t.call(ven1, "POST", "/reports", {
        ...NO_METADATA,
        eventID: event.id,
        clientName: "field-client",
        clientID: null,
        reportName: null,
        payloadDescriptors: null,
        resources: [
          {
            resourceName: "meter-1",
            intervalPeriod: null,
            intervals: [{ id: 0, intervalPeriod: null, payloads: [{ type: "USAGE", values: [2.5] }] }],
          },
        ],
      }),
      201,
    );
    expect(report.clientID).toBe(t.vens[0].clientId);
    expect(report).not.toHaveProperty("reportName");
    expect(validate("report", report)).toEqual([]);
  });

  it("a subscription with null programID, targets and bearerToken is created", async () => {
    const receiver = await startCallbackServer();
    try {
      const sub = expectOk(
        await t.call(ven1, "POST", "/subscriptions", {
          ...NO_METADATA,
          clientName: "field-client",
          clientID: null,
          programID: null,
          targets: null,
          objectOperations: [
            { objects: ["EVENT"], operations: ["CREATE", "UPDATE"], callbackUrl: receiver.url, bearerToken: null },
          ],
        }),
        201,
      );
      expect(sub).not.toHaveProperty("programID");
      expect(validate("subscription", sub)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("a ven and a resource with null targets and attributes are created by the BL", async () => {
    const client = await t.vtn.clients.add({ role: "ven", name: "field-ven" });
    const ven = expectOk(
      await t.call(bl, "POST", "/vens", {
        ...NO_METADATA,
        venName: "field-ven",
        clientID: client.clientId,
        targets: null,
        attributes: null,
      }),
      201,
    );
    expect(ven.objectType).toBe("VEN");
    const resource = expectOk(
      await t.call(bl, "POST", "/resources", {
        ...NO_METADATA,
        resourceName: "field-battery",
        venID: ven.id,
        clientID: null,
        targets: null,
        attributes: null,
      }),
      201,
    );
    expect(resource.clientID).toBe(client.clientId);
    expect(resource).not.toHaveProperty("targets");
  });

  it("unknown top-level fields are stored and returned as sent (a misspelt intervals included)", async () => {
    const { intervals, ...rest } = bodies.event(programID);
    const created = expectOk(
      await t.call(bl, "POST", "/events", { ...rest, interval: intervals, vendorExtension: { site: 7 } }),
      201,
    );
    expect(created.interval).toEqual(intervals);
    expect(created.vendorExtension).toEqual({ site: 7 });
    expect(created).not.toHaveProperty("intervals");
    expect(expectOk(await t.call(bl, "GET", `/events/${created.id}`)).vendorExtension).toEqual({ site: 7 });
  });

  it("a required field sent as null is still missing", async () => {
    expectSpecProblem(await t.call(bl, "POST", "/programs", { programName: null }), 400, "programName");
    expectSpecProblem(
      await t.call(bl, "POST", "/events", { ...bodies.event(programID), intervals: [{ id: 0, payloads: null }] }),
      400,
      "payloads",
    );
  });
});

describe("client credentials and scopes at the token endpoint", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  const grant = (c: { clientId: string; clientSecret: string }, extra: Record<string, string> = {}) => ({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
    ...extra,
  });

  it("credentials in the form body get a token", async () => {
    const res = await postToken(t, grant(t.vens[0]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(validate("clientCredentialResponse", res.body)).toEqual([]);
    expect((await t.call(String(res.body.access_token), "GET", "/events")).status).toBe(200);
  });

  it("credentials in an HTTP Basic header (client_secret_basic) get a token, with a scope asked in the form", async () => {
    const res = await postToken(
      t,
      { grant_type: "client_credentials", scope: "read_all write_programs" },
      { authorization: basic(t.bl) },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.scope).toBe("read_all write_programs");
    expect((await t.call(String(res.body.access_token), "GET", "/programs")).status).toBe(200);
  });

  it("a BL asking read_all read_bl write_events write_programs gets them all, read_bl included", async () => {
    const res = await postToken(t, grant(t.bl, { scope: "read_all read_bl write_events write_programs" }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.scope).toBe("read_all read_bl write_events write_programs");
    const token = String(res.body.access_token);
    // openadr3.yaml asks read_bl for the all-events topics.
    const topics = await t.call(token, "GET", "/notifiers/mqtt/topics/events");
    expect(topics.status, JSON.stringify(topics.body)).toBe(200);
    // write_subscriptions was not asked for, so the token does not carry it.
    const sub = await t.call(token, "POST", "/subscriptions", bodies.subscription("https://example.com/cb"));
    expectSpecProblem(sub, 403, "write_subscriptions");
  });

  it("a VEN asking for a scope it may not have among allowed ones gets the allowed ones, named in scope", async () => {
    const res = await postToken(t, grant(t.vens[0], { scope: "read_targets write_programs write_reports" }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.scope).toBe("read_targets write_reports");
    const token = String(res.body.access_token);
    expectSpecProblem(await t.call(token, "POST", "/programs", bodies.program("not mine")), 403, "write_programs");
  });

  it("a request whose scopes are all unknown or beyond the role is refused with invalid_scope", async () => {
    for (const [client, scope] of [
      [t.bl, "admin everything"],
      [t.vens[1], "read_all write_programs read_bl"],
    ] as const) {
      const res = await postToken(t, grant(client, { scope }));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toBe("invalid_scope");
      expect(validate("authError", res.body)).toEqual([]);
    }
  });

  it("no scope asked gives every scope of the role, read_bl for the BL", async () => {
    const res = await postToken(t, grant(t.bl));
    expect(String(res.body.scope).split(" ")).toContain("read_bl");
  });
});

describe("the Content-Type of JSON routes", () => {
  let t: TestVtn;
  let bl: string;
  beforeAll(async () => {
    t = await startTestVtn();
    bl = await t.token(t.bl);
  });
  afterAll(() => t.close());

  const post = async (path: string, body: string, type: string): Promise<Reply> => {
    const res = await fetch(`${t.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${bl}`, "content-type": type },
      body,
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };

  it("JSON sent as form-encoded or text/plain is a 415 naming the header and application/json", async () => {
    for (const [body, type] of [
      ["programName=form-program", "application/x-www-form-urlencoded"],
      [JSON.stringify(bodies.program("text-program")), "text/plain"],
      [JSON.stringify(bodies.program("text-program")), "text/plain; charset=utf-8"],
    ]) {
      const res = await post("/programs", body, type);
      expectSpecProblem(res, 415, "application/json");
      expect(res.body.detail).toContain("Content-Type");
      expect(res.body.detail).toContain(type);
    }
    expect((await t.call(bl, "GET", "/programs")).body).toEqual([]);
  });

  it("application/json with a charset is accepted, and the token endpoint keeps its form body", async () => {
    expectOk(
      await post("/programs", JSON.stringify(bodies.program("charset")), "application/json; charset=utf-8"),
      201,
    );
    const token = await postToken(t, {
      grant_type: "client_credentials",
      client_id: t.bl.clientId,
      client_secret: t.bl.clientSecret,
    });
    expect(token.status).toBe(200);
  });
});

describe("a body larger than the VTN accepts", () => {
  let t: TestVtn;
  let bl: string;
  beforeAll(async () => {
    t = await startTestVtn();
    bl = await t.token(t.bl);
  });
  afterAll(() => t.close());

  const FIVE_MB = JSON.stringify(bodies.program("x".repeat(5 * 1024 * 1024)));

  /**
   * POSTs `body` with node:http, all at once as most clients do, and fails on any socket error,
   * also one after the answer arrived (the client's request call raises it either way).
   */
  const postRaw = (body: string, chunked: boolean) =>
    new Promise<Reply>((resolve, reject) => {
      const url = new URL(`${t.url}/programs`);
      const headers: Record<string, string | number> = {
        authorization: `Bearer ${bl}`,
        "content-type": "application/json",
      };
      if (!chunked) headers["content-length"] = Buffer.byteLength(body);
      let answer: Reply | undefined;
      let failure: Error | undefined;
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => {
            answer = {
              status: res.statusCode ?? 0,
              headers: new Headers(res.headers as Record<string, string>),
              body: JSON.parse(text),
            };
          });
        },
      );
      req.on("error", (err) => {
        failure = err;
      });
      req.on("close", () => {
        if (failure) reject(failure);
        else if (answer) resolve(answer);
        else reject(new Error("connection closed without an answer"));
      });
      if (chunked) req.write(body);
      req.end(chunked ? undefined : body);
    });

  it("a 5 MB POST gets its 413 problem every time, with Content-Length or chunked, never a dropped connection", async () => {
    for (let i = 0; i < 6; i++) {
      const res = await postRaw(FIVE_MB, i % 2 === 1);
      expectSpecProblem(res, 413);
    }
  });

  it("fetch gets the 413 too, and the next request on the client works", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${t.url}/programs`, {
        method: "POST",
        headers: { authorization: `Bearer ${bl}`, "content-type": "application/json" },
        body: FIVE_MB,
      });
      expectSpecProblem({ status: res.status, headers: res.headers, body: await res.json() }, 413);
    }
    expectOk(await t.call(bl, "POST", "/programs", bodies.program("after-big")), 201);
  });
});

describe("the token rate limit", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn({ tokenRateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  const ask = (c: { clientId: string; clientSecret: string }) =>
    postToken(t, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret });

  it("counts per client id: one client over its limit gets 429 with Retry-After, another from the same address does not", async () => {
    for (let i = 0; i < 3; i++) expect((await ask(t.vens[0])).status).toBe(200);
    const over = await ask(t.vens[0]);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(validate("authError", over.body)).toEqual([]);
    // Basic credentials count for the same client.
    const viaBasic = await postToken(t, { grant_type: "client_credentials" }, { authorization: basic(t.vens[0]) });
    expect(viaBasic.status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await ask(t.vens[1])).status).toBe(200);
  });

  it("counts unknown client ids per address", async () => {
    for (let i = 0; i < 3; i++)
      expect((await ask({ clientId: `nobody-${i}`, clientSecret: "guess" })).status).toBe(401);
    const over = await ask({ clientId: "nobody-else", clientSecret: "guess" });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // A known client is counted on its own id, not on the address.
    expect((await ask(t.bl)).status).toBe(200);
  });
});

describe("every error answer is a spec problem", () => {
  let t: TestVtn;
  let bl: string;
  let ven1: string;
  beforeAll(async () => {
    t = await startTestVtn({ clientRateLimitPerSecond: 1000 });
    ({ bl, ven1 } = await actors(t));
  });
  afterAll(() => t.close());

  it("401, 403, 404 (object and route), 400 (body and query) and 409-free paths all carry an absolute instance", async () => {
    expectSpecProblem(await t.call(undefined, "GET", "/programs"), 401);
    expectSpecProblem(await t.call("not-a-token", "GET", "/programs"), 401);
    expectSpecProblem(await t.call(ven1, "POST", "/programs", bodies.program("ven may not")), 403);
    expectSpecProblem(await t.call(bl, "GET", "/programs/no-such-program"), 404);
    expectSpecProblem(await t.call(bl, "GET", "/no-such-collection"), 404, "/docs");
    expectSpecProblem(await t.call(bl, "POST", "/programs", { programName: 7 }), 400, "programName");
    expectSpecProblem(await t.call(bl, "GET", "/programs?limit=500"), 400, "limit");
    const bad = await fetch(`${t.url}/programs`, {
      method: "POST",
      headers: { authorization: `Bearer ${bl}`, "content-type": "application/json" },
      body: "{not json",
    });
    expectSpecProblem({ status: bad.status, headers: bad.headers, body: await bad.json() }, 400);
  });

  it("a client-given x-request-id becomes the instance URI", async () => {
    const res = await fetch(`${t.url}/programs/missing`, {
      headers: { authorization: `Bearer ${bl}`, "x-request-id": "trace-42" },
    });
    const body = await res.json();
    expect(validate("problem", body)).toEqual([]);
    expect(body.instance).toBe("urn:x-request-id:trace-42");
  });
});
