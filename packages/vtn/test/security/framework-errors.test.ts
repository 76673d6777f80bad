// Hole 9 of issue 15: what the router and the HTTP parser refuse before authentication is a
// problem+json answer too (Definition.md §Problem), and never echoes the URL.
import { connect } from "node:net";
import { type Actors, actors, expectProblem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Sends raw bytes and returns the whole answer (the server closes the connection). */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = "";
    const s = connect(port, "127.0.0.1", () => s.write(bytes));
    s.on("data", (d) => {
      got += d.toString();
    });
    s.on("close", () => resolve(got));
    s.on("error", reject);
  });
}

describe("framework errors are problems", () => {
  let t: TestVtn;
  let a: Actors;
  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
  });
  afterAll(() => t.close());

  it("an id longer than an object id may be is a 414 problem", async () => {
    const res = await t.call(a.bl, "GET", `/programs/${"a".repeat(200)}`);
    expectProblem(res, 414);
    expect(res.body.detail).not.toContain("aaaa");
  });

  it("an id of 101 to 128 characters reaches the route (a 404, not a router error)", async () => {
    expectProblem(await t.call(a.bl, "GET", `/programs/${"a".repeat(120)}`), 404);
  });

  it("bad percent-encoding is a 400 problem that does not echo the URL", async () => {
    const res = await t.call(undefined, "GET", "/programs/%zz<script>");
    expectProblem(res, 400, "path");
    expect(JSON.stringify(res.body)).not.toContain("script");
  });

  it("headers over the limit are a 431 problem", async () => {
    const answer = await raw(
      Number(new URL(t.url).port),
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 431 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({ status: 431, type: "about:blank" });
    expect(body.instance).toMatch(/^urn:uuid:/);
  });

  it("bytes that are not HTTP get a 400 problem", async () => {
    const answer = await raw(Number(new URL(t.url).port), "NOT HTTP\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1.1 400 /);
    expect(answer).toMatch(/application\/problem\+json/);
  });
});
