// VENs and their resources: targets, attributes, last seen; create, rename and delete them,
// grant targets (BL writes through the 3.1 API with the operator's token).

import type { Resource, ValuesMap, Ven } from "@gridlink/model";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { splitTargets } from "../logic/event-form.ts";
import { knownTargets } from "../logic/known-targets.ts";
import { ago, lastReportAt } from "../logic/last-seen.ts";
import { formatTime } from "../logic/local-time.ts";
import { queryTable } from "../logic/table-query.ts";
import { formatValue } from "../logic/values.ts";
import { ConfirmDialog, Empty, Tags, useConfirmed, useHashParam } from "../ui.tsx";
import { QueriedTable, useTableQuery } from "./TableControls.tsx";
import { InlineEdit, NewObjectForm, type ObjectKind } from "./VenForm.tsx";

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

type Editing = { key: string; field: "name" | "targets" };

/** One row of the VEN or resource table and, under it, its open editor: the same for both kinds. */
function ObjectRows(props: {
  kind: ObjectKind;
  id: string;
  label: string;
  /** The cells after the row header. */
  cells: ReactNode[];
  targets?: string[] | null;
  suggestions: string[];
  allowed: boolean;
  editing?: Editing;
  setEditing: (e?: Editing) => void;
  /** PUT of the whole object with the changed fields. */
  save: (change: { name?: string; targets?: string[] }) => Promise<unknown>;
  onDelete: () => void;
}) {
  const key = `${props.kind}:${props.id}`;
  const open = props.editing?.key === key ? props.editing.field : undefined;
  const what = props.kind === "ven" ? "VEN" : "resource";
  const columns = props.cells.length + 2;
  return (
    <>
      <tr>
        <th scope="row">{props.label}</th>
        {props.cells.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the cells of a row are positional
          <td key={i}>{c}</td>
        ))}
        <td className="row-actions">
          {props.allowed ? (
            <>
              <button
                type="button"
                onClick={() => props.setEditing({ key, field: "targets" })}
                aria-label={`Grant targets to ${props.label}`}
              >
                Targets…
              </button>
              <button
                type="button"
                onClick={() => props.setEditing({ key, field: "name" })}
                aria-label={`Rename ${what} ${props.label}`}
              >
                Rename…
              </button>
              <button
                type="button"
                className="danger-text"
                onClick={props.onDelete}
                aria-label={`Delete ${what} ${props.label}`}
              >
                Delete…
              </button>
            </>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={columns}>
            <InlineEdit
              field={open}
              path={open === "targets" ? "targets" : props.kind === "ven" ? "venName" : "resourceName"}
              label={props.label}
              current={open === "targets" ? (props.targets ?? []).join(", ") : props.label}
              suggestions={props.suggestions}
              save={(v) => props.save(open === "targets" ? { targets: splitTargets(v) } : { name: v.trim() })}
              onDone={() => props.setEditing(undefined)}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function VensView(props: ViewProps) {
  const { data, api } = props;
  const [creating, setCreating] = useState<ObjectKind>();
  const [editing, setEditing] = useState<Editing>();
  const deletion = useConfirmed(
    (d: { kind: ObjectKind; id: string; label: string; resources: number }) =>
      api.del(`/${d.kind === "ven" ? "vens" : "resources"}/${encodeURIComponent(d.id)}`),
    props.refresh,
  );
  const deleting = deletion.pending;
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
  const resourcesOf = (v: Ven) => data.resources.filter((r) => r.venID === v.id);
  const [venQuery, setVenQuery] = useTableQuery<"name" | "client" | "targets" | "resources" | "seen">("name");
  const [resQuery, setResQuery] = useTableQuery<"name" | "ven" | "targets" | "modified">("name");
  const linked = useHashParam("search");
  useEffect(() => {
    if (linked) setVenQuery((q) => ({ ...q, search: linked, page: 0 }));
  }, [linked, setVenQuery]);
  const venPage = queryTable(
    data.vens,
    {
      name: { text: (v) => v.venName },
      client: { text: (v) => v.clientID ?? "" },
      targets: { text: (v) => (v.targets ?? []).join(" ") },
      resources: {
        text: (v) =>
          resourcesOf(v)
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

  // A rename or new targets: the whole object sent back with the change (BL_VEN_REQUEST /
  // BL_RESOURCE_REQUEST); no targets left means none.
  const save = <T extends Ven | Resource>(
    path: string,
    objectType: string,
    nameField: "venName" | "resourceName",
    o: T & { targets?: string[] | null },
    name: string,
    c: { name?: string; targets?: string[] },
  ) =>
    api
      .put(`${path}/${o.id}`, {
        ...requestOf(o),
        objectType,
        [nameField]: c.name ?? name,
        targets: c.targets ? (c.targets.length ? c.targets : undefined) : o.targets,
      })
      .then(props.refresh);
  const saveVen = (v: Ven, c: { name?: string; targets?: string[] }) =>
    save("/vens", "BL_VEN_REQUEST", "venName", v, v.venName, c);
  const saveResource = (r: Resource, c: { name?: string; targets?: string[] }) =>
    save("/resources", "BL_RESOURCE_REQUEST", "resourceName", r, r.resourceName, c);

  const rowProps = { suggestions: targets, editing, setEditing };

  return (
    <section aria-labelledby="vens-title">
      <div className="view-head">
        <h1 id="vens-title">VENs &amp; resources</h1>
        {props.may("vens.write") ? (
          <span className="row-actions">
            <button type="button" className="primary" onClick={() => setCreating("ven")} disabled={!!creating}>
              New VEN
            </button>
            <button
              type="button"
              onClick={() => setCreating("resource")}
              disabled={!!creating || data.vens.length === 0}
            >
              New resource
            </button>
          </span>
        ) : null}
      </div>
      {creating ? (
        <NewObjectForm
          {...props}
          key={creating}
          kind={creating}
          targets={targets}
          onDone={() => setCreating(undefined)}
        />
      ) : null}
      <p className="hint">
        Last seen: the VEN's newest request, poll, report or acknowledged notification since the VTN started (its newest
        report when the VTN was restarted since).
      </p>
      {data.vens.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No VENs yet."}</Empty>
      ) : (
        <QueriedTable
          search="Search VENs"
          caption="VENs"
          query={venQuery}
          setQuery={setVenQuery}
          result={venPage}
          total={data.vens.length}
          columns={[
            { label: "VEN", sort: "name" },
            { label: "Client ID", sort: "client" },
            { label: "Targets", sort: "targets" },
            { label: "Attributes" },
            { label: "Resources", sort: "resources" },
            { label: "Last seen", sort: "seen" },
          ]}
          actions
        >
          {venPage.rows.map((v) => {
            const { at: seen, how } = seenAt(v);
            const res = resourcesOf(v);
            return (
              <ObjectRows
                key={v.id}
                {...rowProps}
                kind="ven"
                id={v.id}
                label={v.venName}
                targets={v.targets}
                allowed={props.may("vens.write")}
                save={(c) => saveVen(v, c)}
                onDelete={() => deletion.ask({ kind: "ven", id: v.id, label: v.venName, resources: res.length })}
                cells={[
                  <code key="c">{v.clientID}</code>,
                  <Tags key="t" items={v.targets} empty="none" />,
                  <Tags key="a" items={attrs(v.attributes)} />,
                  res.length ? (
                    res.map((r) => r.resourceName).join(", ")
                  ) : (
                    <span key="r" className="muted">
                      none
                    </span>
                  ),
                  seen ? (
                    <span key="s" title={formatTime(seen)}>{`${how} ${ago(seen, now)}`}</span>
                  ) : (
                    <span key="s" className="muted">
                      not seen
                    </span>
                  ),
                ]}
              />
            );
          })}
        </QueriedTable>
      )}
      <h2>Resources</h2>
      {data.resources.length === 0 ? (
        <Empty>No resources: VENs create them for the devices they control, or create one here.</Empty>
      ) : (
        <QueriedTable
          search="Search resources"
          caption="Resources"
          query={resQuery}
          setQuery={setResQuery}
          result={resPage}
          total={data.resources.length}
          columns={[
            { label: "Resource", sort: "name" },
            { label: "VEN", sort: "ven" },
            { label: "Targets", sort: "targets" },
            { label: "Attributes" },
            { label: "Modified", sort: "modified" },
          ]}
          actions
        >
          {resPage.rows.map((r) => (
            <ObjectRows
              key={r.id}
              {...rowProps}
              kind="resource"
              id={r.id}
              label={r.resourceName}
              targets={r.targets}
              allowed={props.may("resources.write")}
              save={(c) => saveResource(r, c)}
              onDelete={() => deletion.ask({ kind: "resource", id: r.id, label: r.resourceName, resources: 0 })}
              cells={[
                venName(r.venID),
                <Tags key="t" items={r.targets} empty="none" />,
                <Tags key="a" items={attrs(r.attributes)} />,
                formatTime(Date.parse(r.modificationDateTime)),
              ]}
            />
          ))}
        </QueriedTable>
      )}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.kind === "ven" ? "VEN" : "resource"} ${deleting.label}?`}
          confirmLabel={`Delete ${deleting.kind === "ven" ? "VEN" : "resource"}`}
          busy={deletion.busy}
          error={deletion.error}
          onConfirm={deletion.confirm}
          onClose={deletion.close}
        >
          <p>
            {deleting.kind === "ven"
              ? `The ven object is deleted from the VTN${deleting.resources ? ` with its ${deleting.resources} resource(s)` : ""}; the VEN's credentials stay, and it can register again.`
              : "The resource is deleted from the VTN; its VEN can create it again."}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
