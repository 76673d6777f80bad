// One table of privacy cases (principal × object × operation → allowed, shown as), written once
// and run through every channel: REST reads and writes, webhook notifications, MQTT subscriptions
// and deliveries, the delivery API and the CLI (packages/vtn/test/privacy-table.test.ts); each new
// binding (3.0.1, 2.0b, CIM) runs the same rows through its own channel. The rules behind the rows
// are Definition.md §Object Privacy, as docs/security.md and docs/targets.md decide them.
import { expect } from "vitest";
import type { TestVtn } from "./vtn.ts";

/** Who asks: the BL client and the two demo VENs (A owns demo-ven-1, B owns demo-ven-2). */
export type Actor = "bl" | "venA" | "venB";
export const ACTORS: readonly Actor[] = ["bl", "venA", "venB"];

/** The objects of the world the table is about. */
export type Thing =
  | "programOpen"
  | "programA"
  | "eventOpen"
  | "eventA"
  | "eventB"
  | "reportA"
  | "reportB"
  | "venA"
  | "venB"
  | "resourceA"
  | "resourceB"
  | "subscriptionA"
  | "subscriptionB";

export type Kind = "PROGRAM" | "EVENT" | "REPORT" | "VEN" | "RESOURCE" | "SUBSCRIPTION";

export const KIND_OF: Record<Thing, Kind> = {
  programOpen: "PROGRAM",
  programA: "PROGRAM",
  eventOpen: "EVENT",
  eventA: "EVENT",
  eventB: "EVENT",
  reportA: "REPORT",
  reportB: "REPORT",
  venA: "VEN",
  venB: "VEN",
  resourceA: "RESOURCE",
  resourceB: "RESOURCE",
  subscriptionA: "SUBSCRIPTION",
  subscriptionB: "SUBSCRIPTION",
};

/** Targets of the targeted things: A's event also carries a target A was never granted. */
export const TARGETS = {
  programA: ["demo-ven-1"],
  eventA: ["demo-ven-1", "not-granted-to-anyone"],
  eventB: ["demo-ven-2"],
} as const;

export interface ReadCase {
  actor: Actor;
  thing: Thing;
  /** Whether the actor may see the object (read it, hear of its changes). */
  sees: boolean;
  /** The targets it is shown with, where the object has targets and the actor sees it. */
  shownTargets?: readonly string[];
}

const own = (actor: Actor, owner: "venA" | "venB") => actor === "bl" || actor === owner;

function readCase(actor: Actor, thing: Thing): ReadCase {
  switch (thing) {
    case "programOpen":
    case "eventOpen":
      return { actor, thing, sees: true };
    case "programA":
      return { actor, thing, sees: own(actor, "venA"), shownTargets: TARGETS.programA };
    case "eventA":
      // Target hiding: a VEN is shown only the targets it was granted.
      return {
        actor,
        thing,
        sees: own(actor, "venA"),
        shownTargets: actor === "bl" ? TARGETS.eventA : ["demo-ven-1"],
      };
    case "eventB":
      return { actor, thing, sees: own(actor, "venB"), shownTargets: TARGETS.eventB };
    default:
      return { actor, thing, sees: own(actor, thing.endsWith("A") ? "venA" : "venB") };
  }
}

/** Every actor × every thing: who may see what, shown how. */
export const READ_CASES: readonly ReadCase[] = ACTORS.flatMap((a) =>
  (Object.keys(KIND_OF) as Thing[]).map((t) => readCase(a, t)),
);

export type WriteOp = "update" | "delete" | "createEvent" | "createReport" | "createResource" | "grantTargets";

export interface WriteCase {
  actor: Actor;
  op: WriteOp;
  thing: Thing;
  /** Whether the write is carried out. */
  allowed: boolean;
  /** REST status when refused: 404 hides another's object, 403 a missing scope. */
  refusedAs?: 403 | 404;
}

/** Writes a VEN must not make, and the few it may (its own objects); none changes anything when refused. */
export const WRITE_CASES: readonly WriteCase[] = [
  { actor: "venA", op: "update", thing: "venB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "delete", thing: "venB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "update", thing: "resourceB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "delete", thing: "resourceB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "update", thing: "reportB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "delete", thing: "reportB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "update", thing: "subscriptionB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "delete", thing: "subscriptionB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "createReport", thing: "eventB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "createResource", thing: "venB", allowed: false, refusedAs: 404 },
  { actor: "venA", op: "update", thing: "eventA", allowed: false, refusedAs: 403 },
  { actor: "venA", op: "delete", thing: "programOpen", allowed: false, refusedAs: 403 },
  { actor: "venA", op: "createEvent", thing: "programOpen", allowed: false, refusedAs: 403 },
  { actor: "venA", op: "grantTargets", thing: "venA", allowed: false },
  { actor: "bl", op: "createReport", thing: "eventOpen", allowed: false, refusedAs: 403 },
  { actor: "venA", op: "update", thing: "reportA", allowed: true },
  { actor: "venA", op: "createReport", thing: "eventA", allowed: true },
  { actor: "venA", op: "createResource", thing: "venA", allowed: true },
  { actor: "bl", op: "update", thing: "venB", allowed: true },
];

/** What the table needs of a VTN: its demo clients and its 3.1 REST API (one VTN, or several behind a balancer). */
export type VtnSite = Pick<TestVtn, "token" | "call" | "bl" | "vens">;

/** The world the rows are about, made over the 3.1 REST API of a fresh test VTN. */
export interface World {
  tokens: Record<Actor, string>;
  ids: Record<Thing, string>;
  /** The stored object of each thing as its writer would PUT it back (no VTN-owned fields). */
  bodies: Record<Thing, Record<string, unknown>>;
  /** The venID of each VEN actor. */
  venIds: { venA: string; venB: string };
}

const VTN_OWNED = ["id", "createdDateTime", "modificationDateTime", "objectType"];

function writable(o: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...o };
  for (const k of VTN_OWNED) delete copy[k];
  return copy;
}

/**
 * Builds the world on `t` (a fresh test VTN with its demo clients). `callbackUrl(actor)` is where
 * each actor's subscription (subscriptionA, subscriptionB, and the BL's own) sends notifications
 * of every change of every object type.
 */
export async function buildWorld(t: VtnSite, callbackUrl: (a: Actor) => string): Promise<World> {
  const tokens: Record<Actor, string> = {
    bl: await t.token(t.bl),
    venA: await t.token(t.vens[0]),
    venB: await t.token(t.vens[1]),
  };
  const ids = {} as Record<Thing, string>;
  const bodies = {} as Record<Thing, Record<string, unknown>>;
  const make = async (thing: Thing, actor: Actor, path: string, body: Record<string, unknown>) => {
    const r = await t.call(tokens[actor], "POST", path, body);
    if (r.status !== 201)
      throw new Error(`privacy world: POST ${path} as ${actor}: ${r.status} ${JSON.stringify(r.body)}`);
    ids[thing] = r.body.id;
    bodies[thing] = writable(r.body);
  };
  const interval = { id: 0, payloads: [{ type: "SIMPLE", values: [1] }] };
  const period = { start: "2030-01-01T00:00:00Z", duration: "PT1H" };
  await make("programOpen", "bl", "/programs", { programName: "privacy-open" });
  await make("programA", "bl", "/programs", { programName: "privacy-a", targets: [...TARGETS.programA] });
  const event = (name: string, targets?: readonly string[]) => ({
    programID: ids.programOpen,
    eventName: name,
    intervalPeriod: period,
    intervals: [interval],
    ...(targets ? { targets: [...targets] } : {}),
  });
  await make("eventOpen", "bl", "/events", event("privacy-open"));
  await make("eventA", "bl", "/events", event("privacy-a", TARGETS.eventA));
  await make("eventB", "bl", "/events", event("privacy-b", TARGETS.eventB));
  const report = (clientName: string) => ({
    eventID: ids.eventOpen,
    clientName,
    resources: [{ resourceName: "meter", intervals: [{ id: 0, payloads: [{ type: "USAGE", values: [2] }] }] }],
  });
  await make("reportA", "venA", "/reports", report("ven-a"));
  await make("reportB", "venB", "/reports", report("ven-b"));
  const venIds = { venA: t.vens[0].venID, venB: t.vens[1].venID };
  for (const v of ["venA", "venB"] as const) {
    const r = await t.call(tokens.bl, "GET", `/vens/${venIds[v]}`);
    ids[v] = venIds[v];
    bodies[v] = writable(r.body);
  }
  await make("resourceA", "bl", "/resources", { resourceName: "battery", venID: venIds.venA });
  await make("resourceB", "bl", "/resources", { resourceName: "battery", venID: venIds.venB });
  const everything = (a: Actor) => ({
    clientName: `privacy-${a}`,
    objectOperations: [
      {
        objects: ["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE"],
        operations: ["CREATE", "UPDATE", "DELETE"],
        callbackUrl: callbackUrl(a),
      },
    ],
  });
  await make("subscriptionA", "venA", "/subscriptions", everything("venA"));
  await make("subscriptionB", "venB", "/subscriptions", everything("venB"));
  const blSub = await t.call(tokens.bl, "POST", "/subscriptions", everything("bl"));
  if (blSub.status !== 201) throw new Error(`privacy world: BL subscription: ${blSub.status}`);
  return { tokens, ids, bodies, venIds };
}

/** Who writes each thing back unchanged (to make a change everyone may or may not hear of). */
export const WRITER_OF: Record<Thing, Actor> = {
  programOpen: "bl",
  programA: "bl",
  eventOpen: "bl",
  eventA: "bl",
  eventB: "bl",
  reportA: "venA",
  reportB: "venB",
  venA: "bl",
  venB: "bl",
  resourceA: "bl",
  resourceB: "bl",
  subscriptionA: "venA",
  subscriptionB: "venB",
};

/** The REST collection path of a kind (3.1). */
export const COLLECTION: Record<Kind, string> = {
  PROGRAM: "/programs",
  EVENT: "/events",
  REPORT: "/reports",
  VEN: "/vens",
  RESOURCE: "/resources",
  SUBSCRIPTION: "/subscriptions",
};

/** Writes every thing back unchanged through its writer: one UPDATE of each, for the notification channels. */
export async function touchAll(t: VtnSite, w: World): Promise<void> {
  for (const thing of Object.keys(KIND_OF) as Thing[]) {
    const path = `${COLLECTION[KIND_OF[thing]]}/${w.ids[thing]}`;
    const r = await t.call(w.tokens[WRITER_OF[thing]], "PUT", path, w.bodies[thing]);
    if (r.status !== 200) throw new Error(`privacy world: PUT ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Makes the write of `c` as its actor through `t` (the row's outcome is for the caller to judge). */
export function attemptWrite(t: VtnSite, w: World, c: WriteCase) {
  const tok = w.tokens[c.actor];
  const body = w.bodies[c.thing];
  const path = `${COLLECTION[KIND_OF[c.thing]]}/${w.ids[c.thing]}`;
  const interval = { id: 0, payloads: [{ type: "USAGE", values: [3] }] };
  switch (c.op) {
    case "update":
      return t.call(tok, "PUT", path, body);
    case "delete":
      return t.call(tok, "DELETE", path);
    case "createEvent":
      return t.call(tok, "POST", "/events", { programID: w.ids[c.thing], intervals: [] });
    case "createReport":
      return t.call(tok, "POST", "/reports", {
        eventID: w.ids[c.thing],
        clientName: "privacy",
        resources: [{ resourceName: "meter", intervals: [interval] }],
      });
    case "createResource":
      return t.call(tok, "POST", "/resources", { resourceName: `r-${Date.now()}`, venID: w.ids[c.thing] });
    case "grantTargets":
      return t.call(tok, "PUT", path, { ...body, targets: ["stolen"] });
  }
}

/** The test name of a write row. */
export const writeCaseName = (c: WriteCase) =>
  `${c.actor} ${c.op} ${c.thing}: ${c.allowed ? "allowed" : `refused${c.refusedAs ? ` ${c.refusedAs}` : ""}`}`;

/** Makes the write of `c` through `t` and checks the row: carried out, or refused and nothing changed. */
export async function expectWriteCase(t: VtnSite, w: World, c: WriteCase): Promise<void> {
  const path = `${COLLECTION[KIND_OF[c.thing]]}/${w.ids[c.thing]}`;
  const before = await t.call(w.tokens.bl, "GET", path);
  const r = await attemptWrite(t, w, c);
  const after = await t.call(w.tokens.bl, "GET", path);
  if (c.allowed) {
    expect(r.status).toBeLessThan(300);
    return;
  }
  if (c.refusedAs) expect(r.status).toBe(c.refusedAs);
  else expect(r.body.targets).toEqual(before.body.targets);
  // A refused write changes nothing (a VEN's write of its ven's targets is carried out without them).
  if (c.op === "update" || c.op === "delete") expect(after.body).toEqual(before.body);
}
