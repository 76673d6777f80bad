// A Prometheus histogram whose series are fixed once and observed without labels: the request
// and store figures are observed on every request, and prom-client's Histogram validates the label
// object and builds its hash string on every observe, a labelled child included (its `labels()`
// child re-checks them per call): about 2% of a poll's CPU (bench/RESULTS.md, "Polling profiled
// again"). The registry reads it at scrape with prom-client's own text exposition, the same lines
// as a prom-client Histogram of the same name, labels and buckets gives.
import type { Metric, Registry } from "prom-client";

/** One series: counts per bucket (not cumulative; the last one past the highest bound), sum, count. */
export class HistogramSeries {
  private readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  clear(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  /** The cumulative count of observations up to bucket `i` (≤ bounds[i]). */
  cumulative(i: number): number {
    let n = 0;
    for (let k = 0; k <= i; k++) n += this.counts[k];
    return n;
  }
}

interface Value {
  labels: Record<string, string | number>;
  sharedLabels: Readonly<Record<string, string>>;
  value: number;
  metricName: string;
  /** prom-client's shape: null on buckets (no exemplars on a Prometheus text registry). */
  exemplar?: null;
}

export class SeriesHistogram<L extends string> {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values (made on first use; keep it and observe on it). */
  child(labels: Readonly<Record<L, string>>): HistogramSeries {
    const key = this.labelNames.map((n) => labels[n]).join("\u0000");
    let s = this.series.get(key);
    if (!s) {
      const own: Record<string, string> = {};
      for (const n of this.labelNames) own[n] = labels[n];
      s = new HistogramSeries(own, this.bounds);
      this.series.set(key, s);
    }
    return s;
  }

  /** What prom-client's Registry.metrics() formats (the shape of its Histogram's). */
  getForPromString() {
    const values: Value[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      this.bounds.forEach((le, i) => {
        values.push({
          labels: { le },
          sharedLabels: s.labels,
          value: s.cumulative(i),
          metricName: bucket,
          exemplar: null,
        });
      });
      values.push({
        labels: { le: "+Inf" },
        sharedLabels: s.labels,
        value: s.count,
        metricName: bucket,
        exemplar: null,
      });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** Registry.getMetricsAsJSON(): the same values with every label on each. */
  get() {
    const data = this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })),
    };
  }

  /** Registry.resetMetrics(): every series back to zero (kept: their holders observe on them). */
  reset(): void {
    for (const s of this.series.values()) s.clear();
  }
}
