// Events: BL writes (write_events); a VEN reads through granted targets (targeted.ts).
// openadr3.yaml: GET /events and GET /events/{id} need read_all or read_targets.
import type { Event } from "@gridlink/model";
import { TargetedPolicy } from "./targeted.ts";
import type { TargetGrants } from "./targets.ts";

export const eventPolicy = (grants: TargetGrants) =>
  new TargetedPolicy<Event>(grants, ["read_all", "read_targets"], ["write_events"]);
