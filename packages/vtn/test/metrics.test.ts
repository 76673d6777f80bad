// Prometheus metrics (docs/operations.md §Metrics) through prom-client: request rate and latency
// per route pattern, store latency, outbox depth, deliveries by outcome, MQTT clients; /metrics on
// the API port behind a BL token, or on a port of its own; the data dir names where the VTN listens.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("metrics on the API port", () => {
  let t: TestVtn;
  let origin: string;
  beforeAll(async () => {
    t = await startTestVtn();
    origin = new URL(t.url).origin;
  });
  afterAll(() => t.close());

  const scrape = (token?: string) =>
    fetch(`${origin}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("GET /metrics needs a token, and a VEN's token is refused", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(await t.token(t.vens[0]))).status).toBe(403);
  });

  it("requests are counted per route pattern and method, with latency buckets", async () => {
    const bl = await t.token(t.bl);
    for (let i = 0; i < 3; i++) expect((await t.call(bl, "GET", "/programs")).status).toBe(200);
    expect((await t.call(bl, "GET", "/vens/no-such-ven")).status).toBe(404);
    const res = await scrape(bl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const count = (route: string, status: string) =>
      Number(
        new RegExp(
          `gridlink_http_request_duration_seconds_count\\{method="GET",route="${route}",status="${status}"\\} (\\d+)`,
        ).exec(text)?.[1] ?? 0,
      );
    expect(count("/openadr3/3.1.0/programs", "200")).toBe(3);
    // The pattern, not the id: one series for all vens.
    expect(count("/openadr3/3.1.0/vens/:venID", "404")).toBe(1);
    expect(text).not.toContain("no-such-ven");
    expect(text).toMatch(/gridlink_http_request_duration_seconds_bucket\{le="0.005",method="GET"/);
  });

  it("store calls, outbox depth, delivery outcomes and MQTT clients are exposed", async () => {
    const text = await (await scrape(await t.token(t.bl))).text();
    expect(text).toMatch(/gridlink_store_operation_duration_seconds_count\{operation="list",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/gridlink_notifications_deliveries\{channel="webhook",state="pending"\} \d+/);
    expect(text).toMatch(/gridlink_notifications_fanout_backlog \d+/);
    expect(text).toMatch(/gridlink_notifications_delivered_total\{channel="mqtt"\} \d+/);
    expect(text).toMatch(/gridlink_mqtt_clients 0/);
    expect(text).toMatch(/gridlink_process_cpu_seconds_total/);
  });

  it("the delivery API's metrics answer the same registry, and its JSON figures stay", async () => {
    const bl = await t.token(t.bl);
    const text = await (
      await fetch(`${t.url}/gridlink/deliveries/metrics`, { headers: { authorization: `Bearer ${bl}` } })
    ).text();
    expect(text).toContain("gridlink_http_request_duration_seconds_count");
    const summary = (await t.call(bl, "GET", "/gridlink/deliveries/summary")).body;
    expect(summary.metrics.channels.WEBHOOK).toMatchObject({ delivered: expect.any(Number), latencyAvgMs: 0 });
    expect((await t.call(await t.token(t.vens[0]), "GET", "/gridlink/deliveries/metrics")).status).toBe(403);
  });

  it("the data dir names the VTN's base URL and where its metrics answer", () => {
    const at = JSON.parse(readFileSync(join(t.dataDir, "vtn.json"), "utf8"));
    expect(at).toMatchObject({ url: t.url, metricsUrl: `${origin}/metrics`, pid: process.pid });
  });
});

describe("metrics on a port of their own", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn({ metrics: "port", metricsHost: "127.0.0.1", metricsPort: 0 });
  });
  afterAll(() => t.close());

  it("answer without a token there, and not on the API port", async () => {
    expect(t.vtn.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(t.vtn.metricsUrl).port).not.toBe(new URL(t.url).port);
    const res = await fetch(t.vtn.metricsUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("gridlink_store_operation_duration_seconds");
    const bl = await t.token(t.bl);
    expect(
      (await fetch(`${new URL(t.url).origin}/metrics`, { headers: { authorization: `Bearer ${bl}` } })).status,
    ).toBe(404);
  });
});
