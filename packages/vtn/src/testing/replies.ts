// Assertions on the VTN's answers: problem+json (Definition.md §Problem) and JSON bodies.
import { validate } from "@gridlink/model/schema";
import { expect } from "vitest";
import type { TestVtn } from "./vtn.ts";

export type Reply = Awaited<ReturnType<TestVtn["call"]>>;

/**
 * A problem+json answer with `status`, valid against openadr3.yaml `problem` (an absolute
 * `instance` URI among it); when `mentions` is given, the detail must name it.
 */
export function expectProblem(res: Reply, status: number, mentions?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(validate("problem", res.body), JSON.stringify(res.body)).toEqual([]);
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

/** Ids of a list answer, in order. */
export const ids = (res: Reply): string[] => (res.body as Array<{ id: string }>).map((o) => o.id);
