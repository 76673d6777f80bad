// Programs: BL writes (write_programs); a VEN reads through granted targets (targeted.ts).
// openadr3.yaml: GET /programs and GET /programs/{id} need read_all or read_targets.
import type { Program } from "@gridlink/model";
import { TargetedPolicy } from "./targeted.ts";
import type { TargetGrants } from "./targets.ts";

export const programPolicy = (grants: TargetGrants) =>
  new TargetedPolicy<Program>(grants, ["read_all", "read_targets"], ["write_programs"]);
