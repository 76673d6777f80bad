// GET {base}/gridlink/changes: the changes the caller may hear of, as server-sent events
// (text/event-stream, WHATWG HTML §9.2), one `change` event per commit carrying a JSON array of
// {objectType, operation, objectID, targets?}. Any authenticated client; what each hears is
// core's audience policy (live/change-feed.ts). A comment line every 15 s keeps proxies from
// closing an idle stream; the streams end when the VTN stops.
import type { FastifyInstance } from "fastify";
import type { ChangeFeed } from "../../live/change-feed.ts";
import { principalOf } from "./objects.ts";

const KEEPALIVE_MS = 15_000;

export const CHANGES_PATHS = {
  "/gridlink/changes": {
    get: {
      tags: ["gridlink"],
      summary:
        "server-sent events: each commit's changes the caller may hear of (event `change`, data: JSON array of {objectType, operation, objectID, targets?})",
      operationId: "streamChanges",
      security: [{ oAuth2ClientCredentials: ["read_all"] }, { oAuth2ClientCredentials: ["read_ven_objects"] }],
      responses: { "200": { description: "OK", content: { "text/event-stream": { schema: { type: "string" } } } } },
    },
  },
};

export async function changeRoutes(app: FastifyInstance, opts: { feed: ChangeFeed }) {
  const open = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const end of [...open]) end();
  });
  app.get("/gridlink/changes", (req, reply) => {
    const principal = principalOf(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
      "x-request-id": req.id,
    });
    // retry: how long an EventSource waits before it reconnects (ms).
    res.write("retry: 3000\n: connected\n\n");
    const stop = opts.feed.listen(principal, (changes) =>
      res.write(`event: change\ndata: ${JSON.stringify(changes)}\n\n`),
    );
    const ping = setInterval(() => res.write(": keep-alive\n\n"), KEEPALIVE_MS);
    const end = () => {
      stop();
      clearInterval(ping);
      open.delete(end);
      res.end();
    };
    open.add(end);
    req.raw.once("close", end);
  });
}
