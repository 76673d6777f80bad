// Reports: a VEN writes its own (write_reports), about events it may see; BL reads all
// (docs/security.md: BL does not write reports, the spec gives write_reports to VENs only).
import type { Event, Report } from "@gridlink/model";
import { NotFound } from "../errors.ts";
import type { Principal } from "../principal.ts";
import { OwnedPolicy } from "./owned.ts";
import type { TargetedPolicy } from "./targeted.ts";
import type { Visibility } from "./targets.ts";

export class ReportPolicy extends OwnedPolicy<Report> {
  constructor(private readonly events: TargetedPolicy<Event>) {
    super("report", ["read_all", "read_ven_objects"], ["write_reports"]);
  }

  /** What `p` may report about: the events it may see (computed before the write transaction). */
  reportable(p: Principal): Promise<Visibility> {
    return this.events.visibility(p);
  }

  /** The reported event, which must exist and be visible under `v`; 404 otherwise. */
  aboutEvent(e: Event | undefined, v: Visibility, eventId: string): Event {
    if (!e || !this.events.seeUnder(e, v)) throw new NotFound(`body.eventID: no event with id ${eventId}`);
    return e;
  }
}
