// VENs and their resources: targets, attributes, last seen; create ven objects, grant targets.

import type { Resource, ValuesMap, Ven } from "@gridlink/model";
import { Fragment, useMemo, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { knownTargets } from "../logic/known-targets.ts";
import { ago, lastReportAt } from "../logic/last-seen.ts";
import { formatTime } from "../logic/local-time.ts";
import { queryTable } from "../logic/table-query.ts";
import { formatValue } from "../logic/values.ts";
import { Empty, Tags } from "../ui.tsx";
import { SortHeader, TableSearch, useTableQuery } from "./TableControls.tsx";
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
function GrantCell({ label, open, allowed }: { label: string; open: () => void; allowed: boolean }) {
  return (
    <td className="row-actions">
      {allowed ? (
        <button type="button" onClick={open} aria-label={`Grant targets to ${label}`}>
          Targets…
        </button>
      ) : null}
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
  // Last seen: any request, poll, report or acknowledged notification the VTN recorded; else the newest report.
  const seenAt = (v: Ven): { at?: number; how: string } => {
    const s = data.presence?.find((x) => x.clientID === v.clientID);
    if (s) return { at: Date.parse(s.lastSeenDateTime), how: s.via === "ack" ? "notification ack" : s.via };
    const r = lastReportAt(v, data.reports);
    return { at: r, how: "report" };
  };
  const venName = (id: string) => data.vens.find((v) => v.id === id)?.venName ?? id;
  const [venQuery, setVenQuery] = useTableQuery<"name" | "client" | "targets" | "resources" | "seen">("name");
  const [resQuery, setResQuery] = useTableQuery<"name" | "ven" | "targets" | "modified">("name");
  const venPage = queryTable(
    data.vens,
    {
      name: { text: (v) => v.venName },
      client: { text: (v) => v.clientID ?? "" },
      targets: { text: (v) => (v.targets ?? []).join(" ") },
      resources: {
        text: (v) =>
          data.resources
            .filter((r) => r.venID === v.id)
            .map((r) => r.resourceName)
            .join(" "),
      },
      seen: { text: () => "", order: (v) => seenAt(v).at ?? 0 },
    },
    venQuery,
  );
  const resPage = queryTable(
    data.resources,
    {
      name: { text: (r) => r.resourceName },
      ven: { text: (r) => venName(r.venID) },
      targets: { text: (r) => (r.targets ?? []).join(" ") },
      modified: { text: () => "", order: (r) => Date.parse(r.modificationDateTime) },
    },
    resQuery,
  );

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
        {props.may("vens.write") ? (
          <button type="button" className="primary" onClick={() => setCreating(true)} disabled={creating}>
            New VEN
          </button>
        ) : null}
      </div>
      {creating ? <VenForm {...props} targets={targets} onDone={() => setCreating(false)} /> : null}
      <p className="hint">
        Last seen: the VEN's newest request, poll, report or acknowledged notification since the VTN started (its newest
        report when the VTN was restarted since).
      </p>
      {data.vens.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No VENs yet."}</Empty>
      ) : (
        <>
          <TableSearch
            label="Search VENs"
            query={venQuery}
            setQuery={setVenQuery}
            result={venPage}
            total={data.vens.length}
          />
          <div className="table-wrap">
            <table>
              <caption className="sr-only">VENs</caption>
              <thead>
                <tr>
                  <SortHeader column="name" query={venQuery} setQuery={setVenQuery}>
                    VEN
                  </SortHeader>
                  <SortHeader column="client" query={venQuery} setQuery={setVenQuery}>
                    Client ID
                  </SortHeader>
                  <SortHeader column="targets" query={venQuery} setQuery={setVenQuery}>
                    Targets
                  </SortHeader>
                  <th scope="col">Attributes</th>
                  <SortHeader column="resources" query={venQuery} setQuery={setVenQuery}>
                    Resources
                  </SortHeader>
                  <SortHeader column="seen" query={venQuery} setQuery={setVenQuery}>
                    Last seen
                  </SortHeader>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {venPage.rows.map((v) => {
                  const { at: seen, how } = seenAt(v);
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
                          {seen ? `${how} ${ago(seen, now)}` : <span className="muted">not seen</span>}
                        </td>
                        <GrantCell
                          label={v.venName}
                          open={() => setGranting(`ven:${v.id}`)}
                          allowed={props.may("vens.write")}
                        />
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
        </>
      )}
      <h2>Resources</h2>
      {data.resources.length === 0 ? (
        <Empty>No resources: VENs create them for the devices they control.</Empty>
      ) : (
        <>
          <TableSearch
            label="Search resources"
            query={resQuery}
            setQuery={setResQuery}
            result={resPage}
            total={data.resources.length}
          />
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Resources</caption>
              <thead>
                <tr>
                  <SortHeader column="name" query={resQuery} setQuery={setResQuery}>
                    Resource
                  </SortHeader>
                  <SortHeader column="ven" query={resQuery} setQuery={setResQuery}>
                    VEN
                  </SortHeader>
                  <SortHeader column="targets" query={resQuery} setQuery={setResQuery}>
                    Targets
                  </SortHeader>
                  <th scope="col">Attributes</th>
                  <SortHeader column="modified" query={resQuery} setQuery={setResQuery}>
                    Modified
                  </SortHeader>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {resPage.rows.map((r) => (
                  <Fragment key={r.id}>
                    <tr>
                      <th scope="row">{r.resourceName}</th>
                      <td>{venName(r.venID)}</td>
                      <td>
                        <Tags items={r.targets} empty="none" />
                      </td>
                      <td>
                        <Tags items={attrs(r.attributes)} />
                      </td>
                      <td>{formatTime(Date.parse(r.modificationDateTime))}</td>
                      <GrantCell
                        label={r.resourceName}
                        open={() => setGranting(`res:${r.id}`)}
                        allowed={props.may("resources.write")}
                      />
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
        </>
      )}
    </section>
  );
}
