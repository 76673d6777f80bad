// Shared pieces of the VTN conformance suite: tokens for the three demo actors, problem+json
// assertions (Definition.md §Problem), minimal valid bodies and a webhook receiver that answers
// the echo check, so subscriptions stay valid when the notifier verifies callbacks.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { TestVtn } from "./vtn.ts";

export type Reply = Awaited<ReturnType<TestVtn["call"]>>;

export interface Actors {
  bl: string;
  ven1: string;
  ven2: string;
}

export async function actors(t: TestVtn): Promise<Actors> {
  const [bl, ven1, ven2] = await Promise.all([t.token(t.bl), t.token(t.vens[0]), t.token(t.vens[1])]);
  return { bl, ven1, ven2 };
}

/** A problem+json answer with `status`; when `mentions` is given, the detail must name it. */
export function expectProblem(res: Reply, status: number, mentions?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.title).toBe("string");
  expect(typeof res.body.detail).toBe("string");
  if (mentions) expect(res.body.detail).toContain(mentions);
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
export function expectOk(res: Reply, status = 200): any {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return res.body;
}

const interval = (value: number, payloadType = "SIMPLE") => ({
  id: 0,
  payloads: [{ type: payloadType, values: [value] }],
});

export const bodies = {
  program: (programName: string, extra: Record<string, unknown> = {}) => ({ programName, ...extra }),
  event: (programID: string, extra: Record<string, unknown> = {}) => ({
    programID,
    eventName: "test event",
    intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
    intervals: [interval(1)],
    ...extra,
  }),
  report: (eventID: string, extra: Record<string, unknown> = {}) => ({
    eventID,
    clientName: "test-client",
    reportName: "test report",
    resources: [{ resourceName: "meter-1", intervals: [interval(2.5, "USAGE")] }],
    ...extra,
  }),
  subscription: (callbackUrl: string, extra: Record<string, unknown> = {}) => ({
    clientName: "test-client",
    objectOperations: [{ objects: ["EVENT", "PROGRAM"], operations: ["CREATE", "UPDATE"], callbackUrl }],
    ...extra,
  }),
  blVen: (venName: string, clientID: string, extra: Record<string, unknown> = {}) => ({ venName, clientID, ...extra }),
  resource: (resourceName: string, venID: string, extra: Record<string, unknown> = {}) => ({
    resourceName,
    venID,
    ...extra,
  }),
};

/** A webhook receiver on loopback: answers `GET ?echo=x` with x and 200 to anything else. */
export async function startCallbackServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const echo = new URL(req.url ?? "/", "http://x").searchParams.get("echo");
    req.resume();
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(echo ?? "ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Ids of a list answer, in order. */
export const ids = (res: Reply): string[] => (res.body as Array<{ id: string }>).map((o) => o.id);
