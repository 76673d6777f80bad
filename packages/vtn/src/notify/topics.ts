// MQTT topic names (the notifier doc, "OpenADR3 Object Operation Notifications via Additional
// Protocols" §8, and openadr3.yaml /notifiers/mqtt/topics/...), which topics a change is
// published to, and which topic filters a VEN may subscribe to (§9: VEN-scoped topics).
//
// Topics without a venID carry whole objects and are for BL clients only; a VEN reads only its
// VEN-scoped topics, where each VEN gets the object as it would GET it (target hiding applied).
import type { Change, Kind } from "../store/types.ts";

export type TopicOp = "CREATE" | "UPDATE" | "DELETE";
export interface OperationTopics {
  CREATE?: string;
  UPDATE: string;
  DELETE: string;
  ALL: string;
}

const OPS: readonly TopicOp[] = ["CREATE", "UPDATE", "DELETE"];

/** The topics of `prefix/{create,update,delete}` with `prefix/+` for ALL; no CREATE for one object. */
export function operationTopics(prefix: string, withCreate = true): OperationTopics {
  const t: OperationTopics = { UPDATE: `${prefix}/update`, DELETE: `${prefix}/delete`, ALL: `${prefix}/+` };
  return withCreate ? { CREATE: `${prefix}/create`, ...t } : t;
}

/** Topic prefixes, one per operation of openadr3.yaml /notifiers/mqtt/topics/... */
export const TOPIC_PREFIX = {
  programs: () => "programs",
  program: (programId: string) => `programs/${programId}`,
  events: () => "events",
  programEvents: (programId: string) => `events/programs/${programId}`,
  reports: () => "reports",
  subscriptions: () => "subscriptions",
  vens: () => "vens",
  ven: (venId: string) => `vens/${venId}`,
  resources: () => "resources",
  venEvents: (venId: string) => `events/vens/${venId}`,
  venPrograms: (venId: string) => `programs/vens/${venId}`,
  venResources: (venId: string) => `resources/vens/${venId}`,
};

const op = (o: TopicOp) => o.toLowerCase();

/** Topics for BL clients that a change goes to, with the whole object. */
export function blTopics(change: Change): string[] {
  const o = change.object as { id: string; programID?: string; venID?: string };
  const x = op(change.operation);
  switch (change.kind) {
    case "PROGRAM":
      return [`programs/${x}`, `programs/${o.id}/${x}`];
    case "EVENT":
      return [`events/${x}`, `events/programs/${o.programID}/${x}`];
    case "REPORT":
      return [`reports/${x}`];
    case "SUBSCRIPTION":
      return [`subscriptions/${x}`];
    case "VEN":
      // vens/{venID}/... is VEN-scoped as well: the VEN owns its ven object.
      return change.operation === "CREATE" ? [`vens/${x}`] : [`vens/${x}`, `vens/${o.id}/${x}`];
    case "RESOURCE":
      return [`resources/${x}`, `resources/vens/${o.venID}/${x}`];
  }
}

/** Kinds published per VEN to VEN-scoped topics, each VEN seeing them through its grants. */
export const PER_VEN_KINDS: ReadonlySet<Kind> = new Set(["PROGRAM", "EVENT"]);

/** The VEN-scoped topic a program or event change goes to for `venId`. */
export function venTopic(change: Change, venId: string): string {
  const prefix = change.kind === "EVENT" ? TOPIC_PREFIX.venEvents(venId) : TOPIC_PREFIX.venPrograms(venId);
  return `${prefix}/${op(change.operation)}`;
}

// VEN-scoped filters: events|programs|resources/vens/{venID}/{op} and vens/{venID}/{op}, where
// op is create, update, delete, + or #.
const VEN_SCOPED = /^(?:(?:events|programs|resources)\/vens\/([^/+#]+)|vens\/([^/+#]+))\/(create|update|delete|\+|#)$/;

/** The venID a topic filter is scoped to, or undefined when it is not a VEN-scoped filter. */
export function venOfFilter(filter: string): string | undefined {
  const m = VEN_SCOPED.exec(filter);
  return m ? (m[1] ?? m[2]) : undefined;
}

export const TOPIC_OPS = OPS;
