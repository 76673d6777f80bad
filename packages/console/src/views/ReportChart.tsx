// A uPlot chart of reported values against the event's intervals: step lines on a time axis,
// the event payload on the left axis, reported values on the right.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import type { ChartData } from "../logic/report-series.ts";

const COLORS = ["#1f5fbf", "#d9480f", "#2b8a3e", "#9c36b5", "#c92a2a", "#0b7285", "#e67700", "#5c7cfa"];

function options(d: ChartData, width: number): uPlot.Options {
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  const hasEvent = d.series.some((s) => s.scale === "event");
  const hasReport = d.series.some((s) => s.scale === "report");
  const axes: uPlot.Axis[] = [{ stroke: "#555", grid: { stroke: "#eee" } }];
  if (hasEvent) axes.push({ scale: "event", label: "event", stroke: COLORS[0], grid: { stroke: "#eee" } });
  if (hasReport)
    axes.push({
      scale: "report",
      label: "reported",
      side: hasEvent ? 1 : 3,
      stroke: "#333",
      grid: { show: !hasEvent },
    });
  return {
    width,
    height: 260,
    scales: { x: { time: true } },
    series: [
      { label: "time" },
      ...d.series.map((s, i) => ({
        label: s.label,
        scale: s.scale,
        stroke: s.scale === "event" ? COLORS[0] : COLORS[(i % (COLORS.length - 1)) + 1],
        fill: s.scale === "event" ? "rgba(31,95,191,0.08)" : undefined,
        width: s.scale === "event" ? 2 : 2.5,
        dash: s.scale === "event" ? [6, 4] : undefined,
        paths: stepped,
        points: { show: true, size: 5 },
      })),
    ],
    axes,
    legend: { show: true },
    cursor: { drag: { x: true, y: false } },
  };
}

export function ReportChart({ data, label }: { data: ChartData; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || data.xs.length === 0) return;
    const plot = new uPlot(
      options(data, el.clientWidth || 600),
      [data.xs, ...data.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth || 600, height: 260 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [data]);
  if (data.xs.length === 0) return <p className="empty">Nothing numeric to plot yet.</p>;
  return <div className="chart" ref={box} role="img" aria-label={label} />;
}
