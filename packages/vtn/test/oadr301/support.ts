// The 3.0.1 side of a test VTN: calls against /openadr3/3.0.1 with the same tokens as 3.1, 3.0.1
// bodies as 3.0.1 clients write them, and checks of answers against the 3.0.1 YAML schemas.
import { validate301 } from "@gridlink/model/schema301";
import { jsonCall, type Reply, type TestVtn } from "@gridlink/vtn/testing";
import { expect } from "vitest";

export const base301 = (t: TestVtn) => t.url.replace(/\/openadr3\/3\.1\.0$/, "/openadr3/3.0.1");

export function call301(
  t: TestVtn,
): (tok: string | undefined, method: string, path: string, body?: unknown) => Promise<Reply> {
  return jsonCall(base301(t));
}

/** `value` satisfies the named 3.0.1 schema (each item, for an array). */
export function expectValid301(schema: string, value: unknown): void {
  const items = Array.isArray(value) ? value : [value];
  for (const v of items) expect(validate301(schema, v, "response"), JSON.stringify(v)).toEqual([]);
}

/** A 2xx answer whose body satisfies the named 3.0.1 schema. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
export function ok301(res: Reply, schema: string, status = 200): any {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expectValid301(schema, res.body);
  return res.body;
}

/** A problem+json answer with `status`, valid against the 3.0.1 `problem` schema. */
export function problem301(res: Reply, status: number, mentions?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expectValid301("problem", res.body);
  if (mentions) expect(res.body.detail).toContain(mentions);
}

const interval = (id: number, type: string, value: number) => ({ id, payloads: [{ type, values: [value] }] });

/** Minimal valid 3.0.1 bodies. */
export const bodies301 = {
  program: (programName: string, extra: Record<string, unknown> = {}) => ({ programName, ...extra }),
  event: (programID: string, extra: Record<string, unknown> = {}) => ({
    programID,
    eventName: "3.0.1 event",
    intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
    intervals: [interval(0, "SIMPLE", 1)],
    ...extra,
  }),
  report: (programID: string, eventID: string, extra: Record<string, unknown> = {}) => ({
    programID,
    eventID,
    clientName: "ven-301",
    resources: [{ resourceName: "meter-1", intervals: [interval(0, "USAGE", 2.5)] }],
    ...extra,
  }),
  subscription: (programID: string, callbackUrl: string, extra: Record<string, unknown> = {}) => ({
    clientName: "ven-301",
    programID,
    objectOperations: [{ objects: ["EVENT"], operations: ["CREATE", "UPDATE", "DELETE"], callbackUrl }],
    ...extra,
  }),
  ven: (venName: string, extra: Record<string, unknown> = {}) => ({ venName, ...extra }),
  resource: (resourceName: string, extra: Record<string, unknown> = {}) => ({ resourceName, ...extra }),
};
