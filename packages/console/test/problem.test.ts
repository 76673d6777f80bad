import { describe, expect, test } from "vitest";
import { fieldProblem, pathWithin, problemOf } from "../src/logic/problem.ts";

describe("problem details", () => {
  test.each([
    ["body.programName: must NOT have fewer than 1 characters", "programName", "must NOT have fewer than 1 characters"],
    ["body.intervals.2.payloads.0.values: must be number", "intervals.2.payloads.0.values", "must be number"],
    ["body: must be a JSON object", "", "must be a JSON object"],
  ])("%j names field %j", (detail, path, message) => {
    expect(fieldProblem(detail)).toEqual({ path, message });
  });

  test("a detail without a body path names no field", () => {
    expect(fieldProblem("no program with id x")).toBeUndefined();
  });

  test("paths nest", () => {
    expect(pathWithin("intervals.2.payloads.0.values", "intervals.2")).toBe(true);
    expect(pathWithin("intervals.20", "intervals.2")).toBe(false);
  });

  test("token endpoint errors and bare statuses read as problems", () => {
    expect(problemOf(401, "Unauthorized", { error: "invalid_client", error_description: "wrong secret" })).toEqual({
      status: 401,
      title: "invalid_client",
      detail: "wrong secret",
    });
    expect(problemOf(502, "Bad Gateway", undefined).detail).toBe("Bad Gateway");
  });
});
