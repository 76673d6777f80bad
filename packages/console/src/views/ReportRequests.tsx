// Report requests of an event (openadr3.yaml reportDescriptor): what VENs should report back.
import { READING_TYPES, REPORT_PAYLOAD_TYPES, UNITS } from "@gridlink/model";
import { type EventForm, emptyReportRow, type FieldErrors, type ReportRow } from "../logic/event-form.ts";
import { brief } from "../logic/text.ts";
import { errorAt, Field, inputProps } from "../ui.tsx";

const NUMBERS: Array<[keyof ReportRow, string, string]> = [
  ["startInterval", "Start interval", "-1: at the end of the last interval"],
  ["numIntervals", "Intervals", "-1: all"],
  ["frequency", "Frequency", "-1: same as intervals"],
  ["repeat", "Repeat", "-1: indefinitely"],
];

export function ReportRequests(props: { form: EventForm; onChange: (f: EventForm) => void; errors: FieldErrors }) {
  const { form, onChange, errors } = props;
  const set = (k: number, patch: Partial<ReportRow>) =>
    onChange({ ...form, reports: form.reports.map((r, i) => (i === k ? { ...r, ...patch } : r)) });
  return (
    <fieldset>
      <legend>Report requests</legend>
      <datalist id="report-payload-types">
        {REPORT_PAYLOAD_TYPES.map((t) => (
          <option key={t.type} value={t.type} label={brief(t.description, 90)} />
        ))}
      </datalist>
      {form.reports.length === 0 ? <p className="hint">None: VENs are not asked to report on this event.</p> : null}
      {form.reports.map((r, k) => {
        const key = `reportDescriptors.${k}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
          <div className="report-row" key={k}>
            <Field id={`rd-${k}-type`} label="Payload type" error={errorAt(errors, `${key}.payloadType`)}>
              <input
                {...inputProps(`rd-${k}-type`, errorAt(errors, `${key}.payloadType`))}
                aria-label={`Report ${k + 1} payload type`}
                list="report-payload-types"
                value={r.payloadType}
                onChange={(e) => set(k, { payloadType: e.target.value })}
              />
            </Field>
            <Field id={`rd-${k}-reading`} label="Reading type" error={errorAt(errors, `${key}.readingType`)}>
              <select
                id={`rd-${k}-reading`}
                value={r.readingType}
                onChange={(e) => set(k, { readingType: e.target.value })}
              >
                <option value="">(any)</option>
                {READING_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </Field>
            <Field id={`rd-${k}-units`} label="Units" error={errorAt(errors, `${key}.units`)}>
              <select id={`rd-${k}-units`} value={r.units} onChange={(e) => set(k, { units: e.target.value })}>
                <option value="">(none)</option>
                {UNITS.map((u) => (
                  <option key={u}>{u}</option>
                ))}
              </select>
            </Field>
            {NUMBERS.map(([name, label, hint]) => (
              <Field
                key={name}
                id={`rd-${k}-${name}`}
                label={label}
                hint={hint}
                error={errorAt(errors, `${key}.${name}`)}
              >
                <input
                  {...inputProps(`rd-${k}-${name}`, errorAt(errors, `${key}.${name}`))}
                  className="short"
                  inputMode="numeric"
                  value={r[name] as string}
                  onChange={(e) => set(k, { [name]: e.target.value })}
                />
              </Field>
            ))}
            <label className="check">
              <input type="checkbox" checked={r.aggregate} onChange={(e) => set(k, { aggregate: e.target.checked })} />
              Aggregate all resources
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={r.historical}
                onChange={(e) => set(k, { historical: e.target.checked })}
              />
              Historical
            </label>
            <button
              type="button"
              className="ghost"
              onClick={() => onChange({ ...form, reports: form.reports.filter((_, i) => i !== k) })}
            >
              Remove report request {k + 1}
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onChange({ ...form, reports: [...form.reports, emptyReportRow()] })}>
        Add report request
      </button>
    </fieldset>
  );
}
