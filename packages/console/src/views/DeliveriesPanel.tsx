// Notification delivery state from gridlink's delivery API ({base}/gridlink/deliveries,
// docs/notifications.md): counts per channel and state, the newest deliveries with a filter,
// and retrying dead letters.
import { useEffect, useState } from "react";
import { ApiError } from "../api/client.ts";
import type { DeliverySummary, ViewProps } from "../live.tsx";
import { formatTime } from "../logic/local-time.ts";
import { Empty } from "../ui.tsx";

/** One delivery as the VTN shows it (vtn notify/delivery-service.ts DeliveryView). */
interface Delivery {
  id: string;
  channel: string;
  state: string;
  objectType: string;
  operation: string;
  objectID: string;
  subscriptionID: string | null;
  clientID: string | null;
  callbackUrl: string | null;
  topics: string[] | null;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptDateTime: string | null;
  createdDateTime: string;
  updatedDateTime: string;
}

const STATES = ["PENDING", "DELIVERED", "DEAD"] as const;
const LIMIT = 50;

function Counts({ summary }: { summary: DeliverySummary }) {
  return (
    <div className="stats">
      {Object.entries(summary.counts).map(([channel, byState]) => (
        <div className="stat" key={channel}>
          <span className="stat-title">{channel}</span>
          {STATES.map((s) => (
            <span key={s} className={`stat-item ${s.toLowerCase()}`}>
              {s === "DEAD" ? "dead letters" : s.toLowerCase()} <strong>{byState[s] ?? 0}</strong>
            </span>
          ))}
        </div>
      ))}
      {summary.fanOutBacklog !== undefined ? (
        <div className="stat">
          <span className="stat-title">Queue</span>
          <span className="stat-item">
            fan-out backlog <strong>{summary.fanOutBacklog}</strong>
          </span>
          <span className="stat-item">
            in flight <strong>{summary.inFlight ?? 0}</strong>
          </span>
        </div>
      ) : null}
    </div>
  );
}

export function DeliveriesPanel(props: ViewProps & { subscriptionID: string; onSubscription: (id: string) => void }) {
  const { api, data } = props;
  const [state, setState] = useState("");
  const [rows, setRows] = useState<Delivery[]>();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const summary = data.deliveries;

  useEffect(() => {
    if (!summary) return;
    const q = new URLSearchParams({ limit: String(LIMIT) });
    if (state) q.set("state", state);
    if (props.subscriptionID) q.set("subscriptionID", props.subscriptionID);
    let current = true;
    api
      .get<Delivery[]>(`/gridlink/deliveries?${q}`)
      .then((r) => {
        if (!current) return;
        setRows(r);
        setError(undefined);
      })
      .catch((e) => {
        if (current) setError(e instanceof ApiError ? e.problem.detail : String(e));
      });
    return () => {
      current = false;
    };
  }, [api, summary, state, props.subscriptionID]);

  async function retry(path: string, what: string) {
    try {
      const r = await api.post<{ retried?: number }>(path, {});
      setMessage(
        r.retried !== undefined ? `${r.retried} dead letters put back in the queue.` : `${what} put back in the queue.`,
      );
      await props.refresh();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.problem.detail : String(e));
    }
  }

  if (!summary)
    return (
      <p className="banner" role="note">
        This VTN does not report delivery state (no <code>/gridlink/deliveries</code> endpoint), so only the
        subscriptions are shown.
      </p>
    );
  const dead = Object.values(summary.counts).reduce((n, c) => n + (c.DEAD ?? 0), 0);
  return (
    <>
      <Counts summary={summary} />
      <div className="toolbar">
        <label>
          State{" "}
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">All</option>
            <option value="PENDING">Pending (incl. failed, retrying)</option>
            <option value="DEAD">Dead letters</option>
            <option value="DELIVERED">Delivered</option>
          </select>
        </label>
        {props.subscriptionID ? (
          <button type="button" onClick={() => props.onSubscription("")}>
            Show all subscriptions
          </button>
        ) : null}
        {props.may("deliveries.retry") ? (
          <button
            type="button"
            disabled={dead === 0}
            onClick={() => retry("/gridlink/deliveries/retry", "All dead letters")}
          >
            Retry all dead letters
          </button>
        ) : null}
        <span className="muted" role="status">
          {message ?? `newest ${LIMIT}`}
        </span>
      </div>
      {error ? <p className="banner error">{error}</p> : null}
      {rows && rows.length === 0 ? <Empty>No deliveries match.</Empty> : null}
      {rows && rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Notification deliveries</caption>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Channel</th>
                <th scope="col">Object</th>
                <th scope="col">To</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last outcome</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <span className={`status ${d.state.toLowerCase()}`}>
                      {d.state === "PENDING" && d.attempts > 0 ? "FAILED, RETRYING" : d.state}
                    </span>
                  </td>
                  <td>{d.channel}</td>
                  <td>
                    {d.objectType} {d.operation}
                  </td>
                  <td className="url">
                    <code>{d.callbackUrl ?? d.topics?.join(" ") ?? ""}</code>
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.lastStatus ? `HTTP ${d.lastStatus}` : ""} {d.lastError ?? ""}
                    {d.nextAttemptDateTime ? (
                      <div className="muted">next {formatTime(Date.parse(d.nextAttemptDateTime))}</div>
                    ) : null}
                  </td>
                  <td>{formatTime(Date.parse(d.updatedDateTime))}</td>
                  <td>
                    {d.state === "DEAD" && props.may("deliveries.retry") ? (
                      <button type="button" onClick={() => retry(`/gridlink/deliveries/${d.id}/retry`, "The delivery")}>
                        Retry
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
