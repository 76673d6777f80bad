// Programs: list, create, edit, delete (with its events, after confirmation).

import type { Program } from "@gridlink/model";
import { useMemo, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { knownTargets } from "../logic/known-targets.ts";
import { formatTime } from "../logic/local-time.ts";
import { ConfirmDialog, Empty, Tags, useConfirmed } from "../ui.tsx";
import { ProgramForm } from "./ProgramForm.tsx";

export function ProgramsView(props: ViewProps) {
  const { data } = props;
  const [editing, setEditing] = useState<Program | "new" | undefined>();
  const deletion = useConfirmed((p: Program) => props.api.del(`/programs/${p.id}`), props.refresh);
  const deleting = deletion.pending;
  const targets = useMemo(() => knownTargets(data), [data]);

  return (
    <section aria-labelledby="programs-title">
      <div className="view-head">
        <h1 id="programs-title">Programs</h1>
        {props.may("programs.write") ? (
          <button type="button" className="primary" onClick={() => setEditing("new")} disabled={editing !== undefined}>
            New program
          </button>
        ) : null}
      </div>
      {editing !== undefined ? (
        <ProgramForm
          {...props}
          key={editing === "new" ? "new" : editing.id}
          program={editing === "new" ? undefined : editing}
          targets={targets}
          onDone={() => setEditing(undefined)}
        />
      ) : null}
      {data.programs.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No programs yet. Create one to publish events under it."}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Programs on this VTN</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Targets</th>
                <th scope="col">Period</th>
                <th scope="col">Events</th>
                <th scope="col">Attributes</th>
                <th scope="col">Modified</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.programs.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.programName}</th>
                  <td>
                    <Tags items={p.targets} empty="all VENs" />
                  </td>
                  <td>
                    {p.intervalPeriod?.start ? formatTime(Date.parse(p.intervalPeriod.start)) : "—"}
                    {p.intervalPeriod?.duration ? ` · ${p.intervalPeriod.duration}` : ""}
                  </td>
                  <td>{data.events.filter((e) => e.programID === p.id).length}</td>
                  <td>
                    <Tags items={(p.attributes ?? []).map((a) => `${a.type}: ${a.values.join(", ")}`)} />
                  </td>
                  <td>{formatTime(Date.parse(p.modificationDateTime))}</td>
                  <td className="row-actions">
                    {props.may("programs.write") ? (
                      <>
                        <button
                          type="button"
                          onClick={() => setEditing(p)}
                          aria-label={`Edit program ${p.programName}`}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="danger-text"
                          onClick={() => {
                            deletion.ask(p);
                          }}
                          aria-label={`Delete program ${p.programName}`}
                        >
                          Delete
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting ? (
        <ConfirmDialog
          title={`Delete program ${deleting.programName}?`}
          confirmLabel="Delete program"
          busy={deletion.busy}
          error={deletion.error}
          onConfirm={deletion.confirm}
          onClose={deletion.close}
        >
          <p>
            Its {data.events.filter((e) => e.programID === deleting.id).length} events are deleted with it and VENs are
            notified. Reports stay as history.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
