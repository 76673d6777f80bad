// Subscriptions, and the delivery state of their notifications.
import { useState } from "react";
import type { ViewProps } from "../live.tsx";
import { formatTime } from "../logic/local-time.ts";
import { Empty, Tags } from "../ui.tsx";
import { DeliveriesPanel } from "./DeliveriesPanel.tsx";

export function SubscriptionsView(props: ViewProps) {
  const { data } = props;
  const [subscriptionID, setSubscriptionID] = useState("");
  const programName = (id?: string | null) =>
    id ? (data.programs.find((p) => p.id === id)?.programName ?? id) : "all programs";
  const venName = (clientID: string) => data.vens.find((v) => v.clientID === clientID)?.venName ?? clientID;
  return (
    <section aria-labelledby="subs-title">
      <div className="view-head">
        <h1 id="subs-title">Subscriptions</h1>
      </div>
      {data.subscriptions.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No subscriptions."}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Subscriptions</caption>
            <thead>
              <tr>
                <th scope="col">Client name</th>
                <th scope="col">Owner</th>
                <th scope="col">Program</th>
                <th scope="col">Objects and operations</th>
                <th scope="col">Callback URL</th>
                <th scope="col">Targets</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.subscriptions.map((s) => (
                <tr key={s.id} className={subscriptionID === s.id ? "selected" : undefined}>
                  <th scope="row">{s.clientName}</th>
                  <td>{venName(s.clientID)}</td>
                  <td>{programName(s.programID)}</td>
                  <td>
                    {s.objectOperations.map((o, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: positional
                      <div key={i}>
                        {o.objects.join(", ")}: {o.operations.join(", ")}
                      </div>
                    ))}
                  </td>
                  <td className="url">
                    {s.objectOperations.map((o, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: positional
                      <div key={i}>
                        <code>{o.callbackUrl}</code>
                      </div>
                    ))}
                  </td>
                  <td>
                    <Tags items={s.targets} empty="any" />
                  </td>
                  <td>{formatTime(Date.parse(s.createdDateTime))}</td>
                  <td>
                    {data.deliveries ? (
                      <button
                        type="button"
                        onClick={() => setSubscriptionID(s.id)}
                        aria-label={`Deliveries of ${s.clientName}`}
                      >
                        Deliveries
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>
        Notification delivery
        {subscriptionID
          ? ` for ${data.subscriptions.find((s) => s.id === subscriptionID)?.clientName ?? subscriptionID}`
          : ""}
      </h2>
      <DeliveriesPanel {...props} subscriptionID={subscriptionID} onSubscription={setSubscriptionID} />
    </section>
  );
}
