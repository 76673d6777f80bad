// MQTT topic rights (notifier doc §9, §12; Definition.md §Security "MQTT": "A VTN MUST configure,
// and enforce, access to the MQTT broker's topics"). BL clients (read_all) read every topic; a
// VEN reads only the VEN-scoped topics of the ven objects it owns. No client publishes. The
// embedded broker's ACL, the Mosquitto ACL file and the topic routes all ask this file.
import { type Scope, venOfTopicFilter, venScopedPrefixes } from "@gridlink/model";
import { requireScope } from "../context.ts";
import { type Principal, readsAll } from "../principal.ts";

/** The scopes of the all-objects topic routes: read_all (the YAML's undeclared read_bl is taken as BL). */
const BL_TOPICS: readonly Scope[] = ["read_all", "read_bl"];

export class MqttTopicPolicy {
  /**
   * Whether `p` may subscribe to `filter`: BL to anything, a VEN to the VEN-scoped filters of a
   * ven it owns (`venOwner` looks the ven's owner up; undefined = no such ven).
   */
  async maySubscribe(
    p: Principal,
    filter: string,
    venOwner: (venId: string) => Promise<string | undefined>,
  ): Promise<boolean> {
    if (readsAll(p)) return true;
    const venId = venOfTopicFilter(filter);
    if (!venId) return false;
    return (await venOwner(venId)) === p.clientId;
  }

  /** Whether a client may publish: none may; notifications come from the VTN only. */
  mayPublish(): boolean {
    return false;
  }

  /** The topic prefixes (each to be read with `/#`) that the owner of these vens may read. */
  readableBy(ownedVenIds: readonly string[]): string[] {
    return ownedVenIds.flatMap(venScopedPrefixes);
  }

  /** The all-objects topic routes (programs, events, reports, ...): BL only. */
  mayListBlTopics(p: Principal): void {
    requireScope(p, ...BL_TOPICS);
  }

  /**
   * A ven's VEN-scoped topic routes: its owner or BL; the route then reads the ven through core
   * (404 for another's ven, as GET /vens/{id}). A program's topic routes are BL routes, and the
   * program is read through core likewise.
   */
  mayListVenTopics(p: Principal): void {
    requireScope(p, "read_all", "read_ven_objects");
  }
}
