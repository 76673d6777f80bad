// The example objects of the User Guide (shared/spec/openadr3/3.1.0/User_Guide.md) are accepted as
// written: every ```json block that is a whole program, event, report, ven or resource is POSTed
// by the role that may write it, with its placeholder ids (programID "0", eventID "…", venID "0")
// replaced by real ones, and must answer 201. Blocks that are not JSON, not one object, or lack the
// required fields of their kind (fragments such as a lone payloadDescriptor) are skipped by rule;
// the one example with a typo in a required field name is tested separately (below).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type Actors,
  actors,
  bodies,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const GUIDE_CANDIDATES = [
  fileURLToPath(new URL("../../../../shared/spec/openadr3/3.1.0/User_Guide.md", import.meta.url)),
  "/work/shared/spec/openadr3/3.1.0/User_Guide.md",
];
const GUIDE = GUIDE_CANDIDATES.find((p) => existsSync(p)) ?? GUIDE_CANDIDATES[0];

type Kind = "program" | "event" | "report" | "subscription" | "ven" | "resource";
type Obj = Record<string, unknown>;

interface Example {
  line: number;
  kind: Kind;
  object: Obj;
}

/** The kind of a whole example object, or undefined for a fragment. */
function kindOf(o: Obj): Kind | undefined {
  const has = (...keys: string[]) => keys.every((k) => k in o);
  if (has("objectOperations", "clientName")) return "subscription";
  if (has("eventID", "clientName", "resources")) return "report";
  if (has("programID") && !("resources" in o)) return "event";
  if (has("resourceName", "venID")) return "resource";
  if (has("venName")) return "ven";
  if (has("programName")) return "program";
  return undefined;
}

/** An event whose reportDescriptors spell the required payloadType as payLoadType (a User Guide typo). */
function misspelled(o: Obj): boolean {
  const rds = Array.isArray(o.reportDescriptors) ? (o.reportDescriptors as Obj[]) : [];
  return rds.some((d) => "payLoadType" in d && !("payloadType" in d));
}

function examples(): { tested: Example[]; skipped: Array<{ line: number; why: string }> } {
  const text = readFileSync(GUIDE, "utf8");
  const tested: Example[] = [];
  const skipped: Array<{ line: number; why: string }> = [];
  for (const m of text.matchAll(/```json[^\n]*\n([\s\S]*?)```/g)) {
    const line = text.slice(0, m.index).split("\n").length;
    let value: unknown;
    try {
      value = JSON.parse(m[1]);
    } catch {
      skipped.push({ line, why: "not JSON" });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      skipped.push({ line, why: "not a single object (a list response)" });
      continue;
    }
    const kind = kindOf(value as Obj);
    if (!kind) skipped.push({ line, why: `a fragment with keys ${Object.keys(value as Obj).join(", ")}` });
    else tested.push({ line, kind, object: value as Obj });
  }
  return { tested, skipped };
}

describe("the User Guide's example objects", () => {
  let t: TestVtn;
  let a: Actors;
  let hook: Receiver;
  const real: { programID: string; eventID: string; venID: string } = { programID: "", eventID: "", venID: "" };
  /** Program examples reuse names (minimalProgram, ...): the earlier program of that name is deleted first. */
  const programsByName = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    hook = await startReceiver();
    real.programID = (await t.call(a.bl, "POST", "/programs", bodies.program("user-guide-base"))).body.id;
    real.eventID = (await t.call(a.bl, "POST", "/events", bodies.event(real.programID))).body.id;
    real.venID = t.vens[0].venID;
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  /** Placeholder ids replaced by real ones; everything else as written. */
  function prepared(e: Example): Obj {
    const o = structuredClone(e.object);
    if ("programID" in o) o.programID = real.programID;
    if ("eventID" in o) o.eventID = real.eventID;
    if ("venID" in o) o.venID = real.venID;
    if (Array.isArray(o.objectOperations))
      for (const op of o.objectOperations as Obj[]) if ("callbackUrl" in op) op.callbackUrl = hook.callbackUrl;
    return o;
  }

  async function post(e: Example): Promise<{ status: number; body: unknown }> {
    const o = prepared(e);
    switch (e.kind) {
      case "program": {
        const name = String(o.programName);
        const earlier = programsByName.get(name);
        if (earlier) await t.call(a.bl, "DELETE", `/programs/${earlier}`);
        const res = await t.call(a.bl, "POST", "/programs", o);
        if (res.status === 201) programsByName.set(name, res.body.id);
        return res;
      }
      case "event":
        return t.call(a.bl, "POST", "/events", o);
      case "report":
        return t.call(a.ven1, "POST", "/reports", o);
      case "subscription":
        return t.call(a.ven1, "POST", "/subscriptions", o);
      case "ven": {
        // BL_VEN_REQUEST examples name the VEN's client; a ven name is unique, so reuse is a rename.
        const res = await t.call(a.bl, "POST", "/vens", o);
        if (res.status === 201) real.venID = res.body.id;
        return res;
      }
      case "resource":
        return t.call(a.bl, "POST", "/resources", o);
    }
  }

  it("every whole example object is accepted with 201, and at least 40 of them are tested", async () => {
    const { tested, skipped } = examples();
    const refused: string[] = [];
    const counts: Record<string, number> = {};
    for (const e of tested) {
      if (misspelled(e.object)) continue;
      const res = await post(e);
      counts[e.kind] = (counts[e.kind] ?? 0) + 1;
      if (res.status !== 201)
        refused.push(`User_Guide.md:${e.line} (${e.kind}): ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(refused).toEqual([]);
    expect(tested.length).toBeGreaterThanOrEqual(40);
    for (const kind of ["program", "event", "report", "ven", "resource"]) expect(counts[kind], kind).toBeGreaterThan(0);
    // What was skipped, and why, stays visible: only a handful of blocks are not whole objects.
    expect(skipped.length, JSON.stringify(skipped)).toBeLessThanOrEqual(5);
  });

  // Example 7.7-1 writes reportDescriptors[0].payLoadType, a typo for the required payloadType (the
  // schema and every other example spell it payloadType). The VTN refuses it with a 400 naming the
  // field, and accepts it once the key is spelled as the schema says.
  it("the one example that misspells payloadType is refused naming payloadType, and accepted when corrected", async () => {
    const errata = examples().tested.filter((e) => misspelled(e.object));
    expect(errata.map((e) => e.kind)).toEqual(["event"]);
    for (const e of errata) {
      const res = await post(e);
      expect(res.status, `User_Guide.md:${e.line}`).toBe(400);
      expect((res.body as { detail: string }).detail).toContain("payloadType");
      const fixed = { ...e, object: JSON.parse(JSON.stringify(e.object).replaceAll('"payLoadType"', '"payloadType"')) };
      expect((await post(fixed)).status, `User_Guide.md:${e.line} corrected`).toBe(201);
    }
  });

  it("what the VTN stored is what the example said (payloads and descriptors kept as written)", async () => {
    const { tested } = examples();
    const withPayloads = tested.filter((e) => e.kind === "event" && Array.isArray(e.object.payloadDescriptors));
    expect(withPayloads.length).toBeGreaterThan(5);
    for (const e of withPayloads.slice(0, 5)) {
      const res = await t.call(a.bl, "POST", "/events", prepared(e));
      expect(res.status).toBe(201);
      const stored = (await t.call(a.bl, "GET", `/events/${res.body.id}`)).body;
      expect(stored.payloadDescriptors, `User_Guide.md:${e.line}`).toEqual(e.object.payloadDescriptors);
      expect(stored.intervals, `User_Guide.md:${e.line}`).toEqual(e.object.intervals);
    }
  });
});
