// Which MQTT topics a change is published to (the notifier doc, "OpenADR3 Object Operation
// Notifications via Additional Protocols" §8; topic names in @gridlink/model notifier-topics).
// Topics without a venID carry whole objects; on VEN-scoped topics each VEN gets the object as it
// would GET it. Who may read which topic is core's policy (core/policy/mqtt-topic.ts).
import { TOPIC_PREFIX } from "@gridlink/model";
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

export const TOPIC_OPS = OPS;
