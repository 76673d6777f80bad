// Several VTN processes on one database keep caches of what they read (core's read cache, granted
// targets): each must hear of the others' commits. Every write transaction that changed objects
// sends, inside the transaction, a NOTIFY naming the kinds it changed; PostgreSQL delivers it to
// every listener only when (and if) the transaction commits. Each store listens on a connection of
// its own and hands the kinds of other stores' commits to its hooks, typically a few milliseconds
// after the commit. A listener that loses its connection flushes everything when it is back,
// since it may have missed notifications meanwhile.
import { CompiledQuery } from "kysely";
import pg from "pg";
import type { Kind } from "../types.ts";

const CHANNEL = "gridlink_changes";
const ALL_KINDS: readonly Kind[] = ["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE"];
const RECONNECT_MS = 1000;

interface Message {
  from: string;
  kinds: Kind[];
}

/** The statement that sends the kinds a transaction changed, delivered to the listeners at its commit. */
export function announcement(from: string, kinds: Iterable<Kind>): CompiledQuery {
  const payload: Message = { from, kinds: [...new Set(kinds)] };
  return CompiledQuery.raw("select pg_notify($1, $2)", [CHANNEL, JSON.stringify(payload)]);
}

/** Listens for other stores' commits until the returned function is called. */
export async function listenForChanges(
  url: string,
  self: string,
  onKinds: (kinds: ReadonlySet<Kind>) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: "gridlink-change-feed" });
    c.on("notification", (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        const m = JSON.parse(n.payload) as Message;
        if (m.from !== self) onKinds(new Set(m.kinds));
      } catch {
        onKinds(new Set(ALL_KINDS));
      }
    });
    const lost = () => {
      if (closed || client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      timer = setTimeout(reconnect, RECONNECT_MS);
      timer.unref();
    };
    c.on("error", lost);
    c.on("end", lost);
    await c.connect();
    await c.query(`listen ${CHANNEL}`);
    client = c;
  };
  const reconnect = () => {
    if (closed) return;
    connect()
      .then(() => onKinds(new Set(ALL_KINDS)))
      .catch(() => {
        timer = setTimeout(reconnect, RECONNECT_MS);
        timer.unref();
      });
  };
  await connect();
  return async () => {
    closed = true;
    clearTimeout(timer);
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}
