// The webhook receiver over real HTTP: echo verification, bearer tokens, notification intake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ParsedNotification, WebhookServer } from "../src/index.ts";

describe("WebhookServer", () => {
  const server = new WebhookServer();
  const got: ParsedNotification[] = [];
  let url: string;
  beforeAll(async () => {
    await server.listen();
    url = server.route("/ven-1", { bearerToken: "s3cret", onNotification: (n) => void got.push(n) });
  });
  afterAll(() => server.close());

  it("answers the echo check with the echo value", async () => {
    const res = await fetch(`${url}?echo=abc-123`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("abc-123");
    expect((await fetch(url)).status).toBe(400);
  });

  it("accepts a notification with the subscription's bearer token", async () => {
    const body = { object_type: "EVENT", operation: "POST", object: JSON.stringify({ id: "e9", program_id: "p" }) };
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: "Bearer s3cret" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(got.at(-1)).toEqual({
      objectType: "EVENT",
      operation: "CREATE",
      object: { id: "e9", programID: "p", objectType: "EVENT" },
    });
  });

  it("refuses a notification without the right token, and malformed ones", async () => {
    const before = got.length;
    const body = JSON.stringify({ objectType: "EVENT", operation: "CREATE", object: { id: "x" } });
    expect((await fetch(url, { method: "POST", body })).status).toBe(401);
    expect((await fetch(url, { method: "POST", headers: { authorization: "Bearer nope!!" }, body })).status).toBe(401);
    expect((await fetch(url, { method: "POST", headers: { authorization: "Bearer s3cret" }, body: "[]" })).status).toBe(
      400,
    );
    expect((await fetch(`${url}-other`, { method: "POST", body })).status).toBe(404);
    expect(got.length).toBe(before);
  });
});
