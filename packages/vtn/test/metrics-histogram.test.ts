// The request and store histograms are our own series (src/metrics/histogram.ts, observed without
// labels on the request path); Prometheus must read exactly what prom-client's Histogram of the same
// name, labels and buckets would expose for the same observations.
import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { SeriesHistogram } from "../src/metrics/histogram.ts";

const BUCKETS = [0.0005, 0.001, 0.005, 0.1, 1];
const OBSERVED: [Record<"method" | "route" | "status", string>, number][] = [
  [{ method: "GET", route: "/events", status: "200" }, 0.0004],
  [{ method: "GET", route: "/events", status: "200" }, 0.0005],
  [{ method: "GET", route: "/events", status: "200" }, 0.003],
  [{ method: "POST", route: "/OpenADR2/Simple/2.0b/:service", status: "200" }, 0.2],
  [{ method: "POST", route: "/OpenADR2/Simple/2.0b/:service", status: "200" }, 7],
  [{ method: "GET", route: 'a "quoted"\\route', status: "404" }, 0],
];

function both() {
  const theirs = new Registry();
  const ours = new Registry();
  const reference = new Histogram({
    name: "h_seconds",
    help: "help text",
    labelNames: ["method", "route", "status"],
    buckets: BUCKETS,
    registers: [theirs],
  });
  const series = new SeriesHistogram("h_seconds", "help text", ["method", "route", "status"], BUCKETS, ours);
  for (const [labels, v] of OBSERVED) {
    reference.observe(labels, v);
    series.child(labels).observe(v);
  }
  return { theirs, ours, series };
}

describe("the request histogram of our own", () => {
  it("exposes the same text as prom-client's Histogram for the same observations", async () => {
    const { theirs, ours } = both();
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('h_seconds_bucket{le="0.0005",method="GET",route="/events",status="200"} 2');
    expect(text).toContain('h_seconds_count{method="POST",route="/OpenADR2/Simple/2.0b/:service",status="200"} 2');
  });

  it("gives the same JSON as prom-client's Histogram", async () => {
    const { theirs, ours } = both();
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it("one series per label values, whichever object names them", () => {
    const { series } = both();
    const a = series.child({ method: "GET", route: "/events", status: "200" });
    expect(series.child({ status: "200", route: "/events", method: "GET" })).toBe(a);
    expect(a.count).toBe(3);
    expect(() => a.observe(Number.NaN)).toThrow(TypeError);
  });

  it("a reset zeroes every series, and observing goes on", async () => {
    const { ours, series } = both();
    ours.resetMetrics();
    expect(await ours.metrics()).toContain('h_seconds_count{method="GET",route="/events",status="200"} 0');
    series.child({ method: "GET", route: "/events", status: "200" }).observe(0.002);
    expect(await ours.metrics()).toContain('h_seconds_count{method="GET",route="/events",status="200"} 1');
  });
});
