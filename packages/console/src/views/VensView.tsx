// VENs and their resources: targets, attributes, last seen; create ven objects, grant targets.

import type { Resource, ValuesMap, Ven } from "@gridlink/model";
import { Fragment, useMemo, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { knownTargets } from "../logic/known-targets.ts";
import { ago, lastReportAt } from "../logic/last-seen.ts";
import { formatTime } from "../logic/local-time.ts";
import { formatValue } from "../logic/values.ts";
import { Empty, Tags } from "../ui.tsx";
import { GrantTargets, VenForm } from "./VenForm.tsx";

function attrs(list?: ValuesMap[] | null): string[] {
  return (list ?? []).map((a) => `${a.type}: ${a.values.map(formatValue).join(", ")}`);
}

/** The fields of a stored object that a PUT takes back (VTN-owned metadata left out). */
function requestOf<T extends { id: string; createdDateTime: string; modificationDateTime: string; objectType: string }>(
  o: T,
) {
  const { id, createdDateTime, modificationDateTime, objectType, ...rest } = o;
  return rest;
}

/** The row action that opens the target editor of a ven or resource. */
function GrantCell({ label, open }: { label: string; open: () => void }) {
  return (
    <td className="row-actions">
      <button type="button" onClick={open} aria-label={`Grant targets to ${label}`}>
        Targets…
      </button>
    </td>
  );
}

/** The target editor of a ven or resource, as a full-width row under it. */
function GrantRow(props: {
  columns: number;
  label: string;
  current?: string[] | null;
  suggestions: string[];
  save: (targets: string[]) => Promise<unknown>;
  onDone: () => void;
}) {
  return (
    <tr>
      <td colSpan={props.columns}>
        <GrantTargets
          label={props.label}
          current={props.current ?? []}
          suggestions={props.suggestions}
          save={props.save}
          onDone={props.onDone}
        />
      </td>
    </tr>
  );
}

export function VensView(props: ViewProps) {
  const { data, api } = props;
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<string>();
  const targets = useMemo(() => knownTargets(data), [data]);
  const now = data.loadedAt ?? Date.now();

  const saveVen = (v: Ven, t: string[]) =>
    api
      .put(`/vens/${v.id}`, { ...requestOf(v), objectType: "BL_VEN_REQUEST", targets: t.length ? t : undefined })
      .then(props.refresh);
  const saveResource = (r: Resource, t: string[]) =>
    api
      .put(`/resources/${r.id}`, {
        ...requestOf(r),
        objectType: "BL_RESOURCE_REQUEST",
        targets: t.length ? t : undefined,
      })
      .then(props.refresh);

  return (
    <section aria-labelledby="vens-title">
      <div className="view-head">
        <h1 id="vens-title">VENs &amp; resources</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)} disabled={creating}>
          New VEN
        </button>
      </div>
      {creating ? <VenForm {...props} targets={targets} onDone={() => setCreating(false)} /> : null}
      <p className="hint">
        Last seen is the time of the VEN's newest report: this VTN does not record when a VEN last polled.
      </p>
      {data.vens.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No VENs yet."}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">VENs</caption>
            <thead>
              <tr>
                <th scope="col">VEN</th>
                <th scope="col">Client ID</th>
                <th scope="col">Targets</th>
                <th scope="col">Attributes</th>
                <th scope="col">Resources</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.vens.map((v) => {
                const seen = lastReportAt(v, data.reports);
                const res = data.resources.filter((r) => r.venID === v.id);
                return (
                  <Fragment key={v.id}>
                    <tr>
                      <th scope="row">{v.venName}</th>
                      <td>
                        <code>{v.clientID}</code>
                      </td>
                      <td>
                        <Tags items={v.targets} empty="none" />
                      </td>
                      <td>
                        <Tags items={attrs(v.attributes)} />
                      </td>
                      <td>
                        {res.length ? res.map((r) => r.resourceName).join(", ") : <span className="muted">none</span>}
                      </td>
                      <td title={seen ? formatTime(seen) : undefined}>
                        {seen ? `report ${ago(seen, now)}` : <span className="muted">no reports</span>}
                      </td>
                      <GrantCell label={v.venName} open={() => setGranting(`ven:${v.id}`)} />
                    </tr>
                    {granting === `ven:${v.id}` ? (
                      <GrantRow
                        columns={7}
                        label={v.venName}
                        current={v.targets}
                        suggestions={targets}
                        save={(t) => saveVen(v, t)}
                        onDone={() => setGranting(undefined)}
                      />
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2>Resources</h2>
      {data.resources.length === 0 ? (
        <Empty>No resources: VENs create them for the devices they control.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Resources</caption>
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">VEN</th>
                <th scope="col">Targets</th>
                <th scope="col">Attributes</th>
                <th scope="col">Modified</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.resources.map((r) => (
                <Fragment key={r.id}>
                  <tr>
                    <th scope="row">{r.resourceName}</th>
                    <td>{data.vens.find((v) => v.id === r.venID)?.venName ?? r.venID}</td>
                    <td>
                      <Tags items={r.targets} empty="none" />
                    </td>
                    <td>
                      <Tags items={attrs(r.attributes)} />
                    </td>
                    <td>{formatTime(Date.parse(r.modificationDateTime))}</td>
                    <GrantCell label={r.resourceName} open={() => setGranting(`res:${r.id}`)} />
                  </tr>
                  {granting === `res:${r.id}` ? (
                    <GrantRow
                      columns={6}
                      label={r.resourceName}
                      current={r.targets}
                      suggestions={targets}
                      save={(t) => saveResource(r, t)}
                      onDone={() => setGranting(undefined)}
                    />
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
