// The interval editor: one row per interval, one value cell per payload column, optional own
// start/duration, add/remove, and bulk paste of a price series.
import { useState } from "react";
import { type EventForm, type FieldErrors, nextIntervalId, payloadInfo, withSeries } from "../logic/event-form.ts";
import { formatClock } from "../logic/local-time.ts";
import { parsePriceSeries } from "../logic/price-series.ts";
import { errorAt, inputProps } from "../ui.tsx";

export function IntervalTable(props: {
  form: EventForm;
  onChange: (f: EventForm) => void;
  errors: FieldErrors;
  /** Resolved start/end per row, when the form is valid enough to place them. */
  times: Array<{ start: number; end: number } | undefined>;
}) {
  const { form, onChange, errors } = props;
  const [pasting, setPasting] = useState(false);
  const [pasteText, setPasteText] = useState("");
  const [pasteError, setPasteError] = useState<string>();
  const rows = form.intervals;
  const setRow = (r: number, patch: Partial<EventForm["intervals"][number]>) =>
    onChange({ ...form, intervals: rows.map((x, i) => (i === r ? { ...x, ...patch } : x)) });

  function applyPaste() {
    const parsed = parsePriceSeries(pasteText);
    if (!parsed.ok) return setPasteError(parsed.message);
    onChange(withSeries(form, parsed.values));
    setPasting(false);
    setPasteText("");
    setPasteError(undefined);
  }

  return (
    <fieldset>
      <legend>Intervals</legend>
      {errorAt(errors, "intervals", true) ? (
        <p className="field-error" role="alert">
          {errorAt(errors, "intervals", true)}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="intervals">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Time</th>
              {form.columns.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <th scope="col" key={i}>
                  {c.type || `payload ${i + 1}`}
                  {c.units ? <span className="muted"> {[c.currency, c.units].filter(Boolean).join("/")}</span> : null}
                </th>
              ))}
              <th scope="col">Own start</th>
              <th scope="col">Own duration</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => {
              const t = props.times[r];
              const rowErr = errorAt(errors, `intervals.${r}.payloads`, true) ?? errorAt(errors, `intervals.${r}.id`);
              return (
                <tr key={row.id}>
                  <th scope="row">{row.id}</th>
                  <td className="muted nowrap">{t ? `${formatClock(t.start)}–${formatClock(t.end)}` : "—"}</td>
                  {form.columns.map((c, col) => {
                    const id = `iv-${r}-${col}`;
                    const err = errorAt(errors, `intervals.${r}.payloads.${col}`);
                    const info = payloadInfo(c.type);
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                      <td key={col} className={err ? "has-error" : undefined}>
                        <input
                          {...inputProps(id, err)}
                          className="cell"
                          aria-label={`Interval ${row.id} ${c.type || "value"}`}
                          inputMode={info?.kind === "number" || info?.kind === "integer" ? "decimal" : undefined}
                          value={row.cells[col] ?? ""}
                          onChange={(e) =>
                            setRow(r, {
                              cells: form.columns.map((_, k) => (k === col ? e.target.value : (row.cells[k] ?? ""))),
                            })
                          }
                        />
                        {err ? (
                          <p className="field-error" id={`${id}-error`} role="alert">
                            {err}
                          </p>
                        ) : null}
                      </td>
                    );
                  })}
                  <td>
                    <input
                      {...inputProps(`iv-${r}-start`, errorAt(errors, `intervals.${r}.intervalPeriod.start`))}
                      type="datetime-local"
                      aria-label={`Interval ${row.id} own start`}
                      value={row.start}
                      onChange={(e) => setRow(r, { start: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      {...inputProps(`iv-${r}-duration`, errorAt(errors, `intervals.${r}.intervalPeriod.duration`))}
                      className="short"
                      aria-label={`Interval ${row.id} own duration`}
                      placeholder={form.duration || "PT1H"}
                      value={row.duration}
                      onChange={(e) => setRow(r, { duration: e.target.value })}
                    />
                    {errorAt(errors, `intervals.${r}.intervalPeriod`) ? (
                      <p className="field-error" role="alert">
                        {errorAt(errors, `intervals.${r}.intervalPeriod`)}
                      </p>
                    ) : null}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="ghost"
                      aria-label={`Remove interval ${row.id}`}
                      onClick={() => onChange({ ...form, intervals: rows.filter((_, i) => i !== r) })}
                    >
                      ✕
                    </button>
                    {rowErr ? (
                      <p className="field-error" role="alert">
                        {rowErr}
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions left">
        <button
          type="button"
          onClick={() =>
            onChange({
              ...form,
              intervals: [
                ...rows,
                { id: nextIntervalId(rows), cells: form.columns.map(() => ""), start: "", duration: "" },
              ],
            })
          }
        >
          Add interval
        </button>
        <button type="button" aria-expanded={pasting} onClick={() => setPasting((p) => !p)}>
          Paste a price series…
        </button>
        <span className="hint">
          Intervals follow one another from the event start, each {form.duration || "PT1H"} long unless given their own.
        </span>
      </div>
      {pasting ? (
        <div className="paste">
          <label htmlFor="paste-series">
            Prices, one per line (or one line separated by tabs, semicolons or commas)
          </label>
          <textarea
            id="paste-series"
            rows={6}
            value={pasteText}
            placeholder={"0.21\n0.19\n0.18\n…"}
            aria-invalid={pasteError ? true : undefined}
            aria-describedby={pasteError ? "paste-series-error" : undefined}
            onChange={(e) => setPasteText(e.target.value)}
          />
          {pasteError ? (
            <p className="field-error" id="paste-series-error" role="alert">
              {pasteError}
            </p>
          ) : (
            <p className="hint">
              24 values make a day of hourly intervals. They replace the intervals, in the first payload column (
              {form.columns[0]?.type || "PRICE"}).
            </p>
          )}
          <button type="button" className="primary" onClick={applyPaste}>
            Use these prices
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
