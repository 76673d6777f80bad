// The chain of a hierarchical node (issue 12): upstream event → the downstream events the node
// derived from it → their members (VENs) → the members' reports, each step a link.
import { useMemo } from "react";
import type { ViewProps } from "../live.tsx";
import { type Chain, chains } from "../logic/chain.ts";
import { formatTime } from "../logic/local-time.ts";
import { reportRows } from "../logic/report-rows.ts";
import { eventListing } from "../logic/timeline.ts";
import { formatValue } from "../logic/values.ts";
import { Empty, Tags, useHashParam } from "../ui.tsx";

export function ChainView({ data }: ViewProps) {
  const chosen = useHashParam("upstream");
  const all = useMemo(() => chains(data.events, data.vens, data.reports), [data.events, data.vens, data.reports]);
  const shown = all.find((c) => c.upstreamEventID === chosen) ?? (all.length === 1 ? all[0] : undefined);
  return (
    <section aria-labelledby="chain-title">
      <div className="view-head">
        <h1 id="chain-title">Chain</h1>
      </div>
      <p className="hint">
        A gridlink node (docs/node.md) writes one event per member for each event of its upstream VTN; each carries{" "}
        <code>gridlinkUpstream</code>, which links it here to its upstream event.
      </p>
      {all.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No event on this VTN came from an upstream VTN."}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Upstream events</caption>
            <thead>
              <tr>
                <th scope="col">Upstream event</th>
                <th scope="col">Upstream VTN</th>
                <th scope="col">Version</th>
                <th scope="col">Downstream events</th>
                <th scope="col">Reports</th>
              </tr>
            </thead>
            <tbody>
              {all.map((c) => (
                <tr key={c.upstreamEventID} className={c === shown ? "selected" : undefined}>
                  <th scope="row">
                    <a href={`#/chain?upstream=${encodeURIComponent(c.upstreamEventID)}`}>
                      <code>{c.upstreamEventID}</code>
                    </a>
                  </th>
                  <td className="wrap">{c.vtn}</td>
                  <td>{c.version ? formatTime(Date.parse(c.version)) : "—"}</td>
                  <td>{c.links.length}</td>
                  <td>{c.links.reduce((n, l) => n + l.reports.length, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown ? <ChainTree chain={shown} data={data} /> : null}
    </section>
  );
}

function ChainTree({ chain, data }: { chain: Chain; data: ViewProps["data"] }) {
  const now = new Date(data.loadedAt ?? Date.now());
  return (
    <section className="panel chain" aria-labelledby="chain-tree-title">
      <h2 id="chain-tree-title">
        Upstream event <code>{chain.upstreamEventID}</code>
      </h2>
      <p className="muted">
        on <span className="wrap">{chain.vtn}</span> · program <code>{chain.programID}</code>
        {chain.version ? ` · derived from its version of ${formatTime(Date.parse(chain.version))}` : ""}
      </p>
      <ol className="chain-links" aria-label="Downstream events">
        {chain.links.map((l) => {
          const when = eventListing(l.event, now);
          const rows = reportRows(l.reports, [l.event], now);
          const name = l.event.eventName || l.event.id;
          return (
            <li key={l.event.id} className="chain-link" data-testid={`chain-${l.member}`}>
              <div className="chain-step">
                <span className="chain-kind">Downstream event</span>{" "}
                <a href={`#/events?event=${encodeURIComponent(l.event.id)}`}>{name}</a>{" "}
                {when.kind === "placed" ? (
                  <span className={`status ${when.status}`}>{when.status}</span>
                ) : (
                  <span className="status unplaceable">{when.kind}</span>
                )}{" "}
                <Tags items={l.event.targets} empty="all" />
              </div>
              <div className="chain-step">
                <span className="chain-kind">Member</span>{" "}
                {l.ven ? (
                  <>
                    <a href={`#/vens?search=${encodeURIComponent(l.ven.venName)}`}>{l.ven.venName}</a>{" "}
                    <span className="muted">
                      client <code>{l.ven.clientID}</code>
                    </span>
                  </>
                ) : (
                  <span className="muted">no VEN named “{l.member}” on this VTN</span>
                )}
              </div>
              <div className="chain-step">
                <span className="chain-kind">Reports</span>{" "}
                {rows.length === 0 ? (
                  <span className="muted">none yet</span>
                ) : (
                  <a href={`#/reports?event=${encodeURIComponent(l.event.id)}`}>
                    {l.reports.length} report(s), {rows.length} value(s)
                  </a>
                )}
              </div>
              {rows.length > 0 ? (
                <div className="table-wrap">
                  <table>
                    <caption className="sr-only">Reports of {l.member}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Resource</th>
                        <th scope="col">Start</th>
                        <th scope="col">Type</th>
                        <th scope="col">Values</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.slice(-12).map((r, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional within a report
                        <tr key={`${r.reportId}-${i}`}>
                          <td>{r.resourceName}</td>
                          <td>{r.start !== undefined ? formatTime(r.start) : "—"}</td>
                          <td>{r.payloadType}</td>
                          <td className="num">
                            {r.values.map(formatValue).join(" ")} {r.units}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
