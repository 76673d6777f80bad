// The VTN's server-sent change events ({base}/gridlink/changes) read with fetch, since an
// EventSource cannot send the bearer token. Each `change` event tells that something the operator
// may see changed; the console then reloads through the API (which shows objects as the VTN's
// policy says). Reconnects after a drop; the caller polls meanwhile (live.tsx).
import type { Session } from "./session.ts";

export interface ChangeNote {
  objectType: string;
  operation: string;
  objectID: string;
}

export interface StreamHandlers {
  onChange(changes: ChangeNote[]): void;
  /** true once the stream is open, false when it dropped (or the VTN has none). */
  onState(open: boolean): void;
}

const RETRY_MS = 3000;

/** Splits a text/event-stream buffer into complete events; returns them and what is left over. */
export function parseEvents(buf: string): { events: Array<{ event: string; data: string }>; rest: string } {
  const events: Array<{ event: string; data: string }> = [];
  const blocks = buf.replace(/\r\n/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return { events, rest };
}

/** Follows the change stream until the returned function is called. */
export function followChanges(session: Session, h: StreamHandlers): () => void {
  const ctl = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const res = await fetch(`${session.base}/gridlink/changes`, {
          headers: { authorization: `Bearer ${session.token}`, accept: "text/event-stream" },
          signal: ctl.signal,
          cache: "no-store",
        });
        if (!res.ok || !res.body) {
          h.onState(false);
          // No stream on this VTN (404) or not for this client: polling alone, checked again later.
          await new Promise((r) => setTimeout(r, res.status === 404 ? 60_000 : RETRY_MS));
          continue;
        }
        h.onState(true);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          const { events, rest } = parseEvents(buf);
          buf = rest;
          for (const e of events) if (e.event === "change") h.onChange(JSON.parse(e.data) as ChangeNote[]);
        }
      } catch {
        if (stopped) return;
      }
      h.onState(false);
      if (!stopped) await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  };
  void run();
  return () => {
    stopped = true;
    ctl.abort();
  };
}
