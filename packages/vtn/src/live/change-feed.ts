// Object changes pushed to connected clients as they commit (server-sent events, for the console's
// live views). Who hears of which change, with which targets shown, is core's audience policy
// (core/policy/audience.ts viewFor), the same answer webhooks and MQTT get; a message names the
// change only (kind, operation, id, shown targets): the client reads the object through the API,
// which shows it as the policy says. Changes committed by another VTN instance on the same
// PostgreSQL database are not seen here: the console polls besides (docs/console.md §Live).
import type { Audience } from "../core/index.ts";
import type { Principal } from "../core/principal.ts";
import type { Change, Store } from "../store/types.ts";

export interface ChangeMessage {
  objectType: Change["kind"];
  operation: Change["operation"];
  objectID: string;
  /** The object's targets as this listener may see them (absent when the object has none). */
  targets?: string[];
}

type Send = (changes: ChangeMessage[]) => void;

export class ChangeFeed {
  private readonly listeners = new Set<{ principal: Principal; send: Send }>();

  constructor(
    store: Pick<Store, "afterCommit">,
    private readonly audience: Audience,
    onError: (err: unknown) => void,
  ) {
    store.afterCommit((changes) => {
      if (this.listeners.size > 0) void this.publish(changes).catch(onError);
    });
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Starts sending `principal`'s share of every commit to `send`; returns the way to stop. */
  listen(principal: Principal, send: Send): () => void {
    const l = { principal, send };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private async publish(changes: readonly Change[]): Promise<void> {
    for (const l of [...this.listeners]) {
      const out: ChangeMessage[] = [];
      for (const c of changes) {
        const view = await this.audience.viewFor(c, { principal: l.principal });
        if (!view) continue;
        const o = c.object as { id: string; targets?: string[] | null };
        const targets = view.shownTargets ?? o.targets ?? undefined;
        out.push({
          objectType: c.kind,
          operation: c.operation,
          objectID: o.id,
          ...(targets && targets.length > 0 ? { targets } : {}),
        });
      }
      if (out.length > 0 && this.listeners.has(l)) l.send(out);
    }
  }
}
