// A `fetch` for benchmarks that run thousands of SDK clients in one process (bench/cems-sites.ts):
// the subset of fetch the SDK's Transport uses (status, ok, headers.get, text, body.cancel),
// carried by undici's request() on one bounded pool instead of the WHATWG fetch machinery.
// Profiled with 4,000 sites, global fetch (its streams, abort wiring and garbage) was most of
// the sites process's CPU, a cost of simulating many sites in one process that a real site, one
// VEN per device, never has. The bound on sockets keeps a burst of requests from opening one
// socket per site and exhausting file descriptors (EMFILE); a request waiting for a socket waits
// here, and that wait counts in what the benchmark measures.
import { Agent, request } from "undici";

export function lightFetch(connections: number): typeof fetch {
  const dispatcher = new Agent({ connections });
  const go = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    let body = init?.body;
    if (body instanceof URLSearchParams) {
      headers["content-type"] ??= "application/x-www-form-urlencoded";
      body = body.toString();
    }
    if (body !== undefined && body !== null && typeof body !== "string")
      throw new TypeError("lightFetch sends string and URLSearchParams bodies only");
    const r = await request(String(input), {
      method: (init?.method ?? "GET") as "GET",
      headers,
      body: body ?? undefined,
      signal: init?.signal ?? undefined,
      dispatcher,
    });
    const text = await r.body.text();
    const answer = {
      status: r.statusCode,
      ok: r.statusCode >= 200 && r.statusCode < 300,
      headers: {
        get(name: string): string | null {
          const v = r.headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(", ") : String(v);
        },
      },
      text: async () => text,
      json: async () => JSON.parse(text) as unknown,
      body: { cancel: async () => {} },
    };
    return answer as unknown as Response;
  };
  return go as typeof fetch;
}
