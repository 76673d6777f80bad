// A scenario's run as a chart (issue 14, docs/scenarios.md): the operator opens the JSON that
// `gridlink scenario <name> --out FILE` wrote (file input or drag and drop); it is read and
// checked here in the browser (logic/scenario-result.ts) and drawn as an SVG over time — the
// site or group's net power against its baseline and the limits, setpoints and prices the
// scenario set (logic/scenario-chart.ts) — with the checks and the outcome figures. Nothing is
// sent to the VTN.
import { type DragEvent, useEffect, useRef, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { type ScenarioChart as Chart, outcomeFigures, scenarioChart } from "../logic/scenario-chart.ts";
import { readScenarioResult, type ScenarioResult } from "../logic/scenario-result.ts";

const LINE_CLASS = { net: "sc-net", baseline: "sc-baseline", site: "sc-site" } as const;

export function ScenariosView(_props: ViewProps) {
  const [result, setResult] = useState<{ file: string; run: ScenarioResult }>();
  const [error, setError] = useState<string>();
  const [over, setOver] = useState(false);

  async function open(file: File | undefined) {
    if (!file) return;
    const read = readScenarioResult(await file.text());
    if (read.ok) {
      setResult({ file: file.name, run: read.result });
      setError(undefined);
    } else {
      setResult(undefined);
      setError(`${file.name}: ${read.error}`);
    }
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void open(e.dataTransfer.files[0]);
  };

  return (
    <section aria-labelledby="scenarios-title">
      <div className="view-head">
        <h1 id="scenarios-title">Scenarios</h1>
      </div>
      <p className="muted">
        Open the JSON of a run of <code>gridlink scenario &lt;name&gt; --out FILE</code>. It is read in this browser
        only.
      </p>
      <fieldset
        className={`drop-zone${over ? " drop-over" : ""}`}
        data-testid="scenario-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label htmlFor="scenario-file">Scenario result (JSON)</label>
        <input
          id="scenario-file"
          className="drop-zone-input"
          type="file"
          accept="application/json,.json"
          onChange={(e) => void open(e.target.files?.[0])}
        />
        <span className="hint">or drop the file here</span>
      </fieldset>
      {error ? (
        <div className="banner error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {result ? <ScenarioRun file={result.file} run={result.run} /> : null}
    </section>
  );
}

/** The width of an element, followed as it changes: the chart is laid out at its real size, so its labels stay readable. */
function useWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

function ScenarioRun({ file, run }: { file: string; run: ScenarioResult }) {
  const frame = useWidth<HTMLDivElement>(720);
  const chart = scenarioChart(run.series, {
    width: frame.width,
    height: Math.round(Math.min(340, Math.max(220, frame.width * 0.42))),
  });
  const failed = run.checks.filter((c) => !c.ok).length;
  return (
    <div className="scenario" data-testid="scenario-run">
      <h2>
        {run.scenario}: {run.title}
      </h2>
      <p className="muted">
        {run.useCase} · simulated {run.simulated.start.slice(0, 16).replace("T", " ")}Z to{" "}
        {run.simulated.end.slice(11, 16)}Z in {run.simulated.stepMinutes}-minute steps · {file}
      </p>
      <p className={failed ? "bad" : "good"} data-testid="scenario-verdict">
        {failed ? `${failed} of ${run.checks.length} checks failed` : `all ${run.checks.length} checks ok`}
      </p>
      <h3>{run.series.subject}</h3>
      {run.derived ? (
        <p className="hint">
          This file has no <code>series</code> (an older run): the chart is the sum over the sites, without the limits
          the scenario set.
        </p>
      ) : null}
      <div ref={frame.ref}>
        <ChartSvg chart={chart} title={`${run.scenario}: ${run.series.subject}, kW over time (UTC)`} />
      </div>
      <ul className="sc-legend" aria-label="Chart legend">
        {chart.lines.map((l) => (
          <li key={l.name}>
            <span className={`sc-key ${LINE_CLASS[l.role]}`} aria-hidden="true" /> {l.name} (kW)
          </li>
        ))}
        {chart.bounds.map((b) => (
          <li key={b.name}>
            <span className={`sc-key sc-bound-${b.kind}`} aria-hidden="true" /> {b.name}:{" "}
            {b.runs.map((r) => `${r.kw} kW ${r.from}–${r.to}Z`).join(", ") || "not in force"}
          </li>
        ))}
        {chart.price ? (
          <li>
            <span className="sc-key sc-price" aria-hidden="true" /> {chart.price.name} ({chart.price.unit}, right axis)
          </li>
        ) : null}
      </ul>

      <h3>Checks</h3>
      <ul className="plain sc-checks">
        {run.checks.map((c) => (
          <li key={c.name} data-testid="scenario-check">
            <span className={c.ok ? "good" : "bad"}>{c.ok ? "ok" : "FAILED"}</span> {c.name}{" "}
            <span className="muted">({c.detail})</span>
          </li>
        ))}
      </ul>
      <h3>Outcome</h3>
      <dl className="sc-outcome" aria-label="Outcome figures">
        {outcomeFigures(run.outcome).map((f) => (
          <div key={f.name} data-testid="outcome-figure">
            <dt>
              <code>{f.name}</code>
            </dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      {run.errors.length ? (
        <p className="bad">
          {run.errors.length} error(s) met by the VENs, first: {run.errors[0]}
        </p>
      ) : null}
    </div>
  );
}

function ChartSvg({ chart, title }: { chart: Chart; title: string }) {
  const { plot } = chart;
  return (
    <svg
      className="sc-chart"
      viewBox={`0 0 ${chart.width} ${chart.height}`}
      role="img"
      aria-label={title}
      data-testid="scenario-chart"
    >
      <title>{title}</title>
      {chart.yTicks.map((t) => (
        <g key={`y${t.value}`} className="sc-grid">
          <line x1={plot.left} x2={plot.right} y1={t.at} y2={t.at} />
          <text x={plot.left - 6} y={t.at + 4} textAnchor="end" data-testid="y-tick">
            {t.label}
          </text>
        </g>
      ))}
      <text x={4} y={plot.top - 10} className="sc-axis-unit">
        kW
      </text>
      <line className="sc-zero" x1={plot.left} x2={plot.right} y1={chart.zero} y2={chart.zero} />
      {chart.xTicks.map((t) => (
        <text
          key={`x${t.value}`}
          x={t.at}
          y={plot.bottom + 18}
          textAnchor={t.at >= plot.right - 1 ? "end" : "middle"}
          data-testid="x-tick"
        >
          {t.label}
        </text>
      ))}
      {chart.price ? (
        <>
          <path className="sc-price" d={chart.price.path} data-testid="price-line" />
          <text x={chart.width - 4} y={plot.top - 10} textAnchor="end" className="sc-price-tick">
            {chart.price.unit}
          </text>
          {chart.price.ticks.map((t) => (
            <text key={`p${t.value}`} x={plot.right + 6} y={t.at + 4} className="sc-price-tick">
              {t.label}
            </text>
          ))}
        </>
      ) : null}
      {chart.lines.map((l) => (
        <polyline key={l.name} className={LINE_CLASS[l.role]} points={l.points} data-series={l.name} />
      ))}
      {/* The limits and setpoints over the lines: a line that keeps one runs along it. */}
      {chart.bounds.map((b) =>
        b.runs.map((r) => (
          <g key={`${b.name}-${r.x1}`} className={`sc-bound-${b.kind}`} data-testid="bound">
            <line x1={r.x1} x2={r.x2} y1={r.y} y2={r.y} />
            <text x={r.x1 + 4} y={r.y - 5}>
              {b.name} {r.kw} kW
            </text>
          </g>
        )),
      )}
    </svg>
  );
}
