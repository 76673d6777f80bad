// create / change / cancel / close EndDeviceControls on the core, one control at a time: each one
// that fails gets its own Error and the others are still applied (Reply.Result PARTIAL). Every
// write goes through core.programs / core.events with the CIM client's own BL principal.
import type { Event } from "@gridlink/model";
import { Conflict, CoreError, NotFound } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Store } from "../../store/types.ts";
import type { CimEndDeviceControl } from "./mapping/cim-types.ts";
import { type ControlMapping, eventOfControl } from "./mapping/controls.ts";
import { type ProgramRule, programNameOf } from "./mapping/programs.ts";
import type { ReplyError } from "./replies.ts";
import { cimTables } from "./schema.ts";

export interface CimMapping extends ControlMapping {
  programs: ProgramRule[];
}

export interface ItemOutcome {
  mRID: string;
  event?: Event;
  error?: ReplyError;
}

/** A core error as a Reply.Error (codes: docs/cim.md §Errors). */
export function replyErrorOf(err: unknown, mRID?: string): ReplyError {
  if (err instanceof CoreError) {
    const code = { 400: "2.5", 403: "6.1", 404: "2.4", 409: "2.6" }[err.status] ?? "2.0";
    return { code, reason: err.message, mRID };
  }
  return { code: "5.1", reason: "internal error; the VTN logged it", mRID };
}

export class ControlsService {
  constructor(
    private readonly core: Core,
    private readonly store: Store,
    private readonly mapping: CimMapping,
    private readonly log: (err: unknown) => void,
  ) {}

  private db() {
    return this.store.tables(cimTables);
  }

  private async row(mRID: string) {
    return this.db().selectFrom("cim_controls").selectAll().where("mrid", "=", mRID).executeTakeFirst();
  }

  /** The event a control mRID became, or NotFound. */
  async eventIdOf(mRID: string): Promise<string> {
    const r = await this.row(mRID);
    if (!r || r.status === "canceled") throw new NotFound(`no EndDeviceControl with mRID ${mRID}`);
    return r.event_id;
  }

  /** The mRID of the control an event came from, if a CIM client made it. */
  async mRIDOf(eventId: string): Promise<string | undefined> {
    const r = await this.db()
      .selectFrom("cim_controls")
      .select("mrid")
      .where("event_id", "=", eventId)
      .executeTakeFirst();
    return r?.mrid;
  }

  /** A target is known when some ven or resource carries it (it names a group or device a VEN was granted). */
  private async checkTargets(p: Principal, targets: readonly string[]): Promise<void> {
    for (const t of targets) {
      const page = { skip: 0, limit: 1, targets: [t] };
      const known =
        (await this.core.vens.list(p, page)).length > 0 || (await this.core.resources.list(p, page)).length > 0;
      if (!known) throw new NotFound(`no EndDeviceGroup, EndDevice or UsagePoint ${t} is known to the VTN`);
    }
  }

  private async programIdOf(p: Principal, c: CimEndDeviceControl): Promise<string> {
    const name = programNameOf(c, this.mapping.programs);
    for (let skip = 0; ; skip += 50) {
      const page = await this.core.programs.list(p, { skip, limit: 50 });
      const hit = page.find((x) => x.programName === name);
      if (hit) return hit.id;
      if (page.length < 50) break;
    }
    return (await this.core.programs.create(p, { programName: name })).id;
  }

  private async eventBody(p: Principal, c: CimEndDeviceControl) {
    const body = eventOfControl(c, this.core.deps.now(), this.mapping);
    await this.checkTargets(p, body.targets ?? []);
    return { ...body, programID: await this.programIdOf(p, c) };
  }

  async apply(p: Principal, verb: string, controls: readonly CimEndDeviceControl[]): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    for (const c of controls) {
      const mRID = c.mRID ?? (verb === "create" ? this.core.deps.newId() : "");
      try {
        if (!mRID) throw new NotFound(`a control to ${verb} needs its mRID`);
        out.push({ mRID, event: await this.one(p, verb, { ...c, mRID }) });
      } catch (err) {
        if (!(err instanceof CoreError)) this.log(err);
        out.push({ mRID, error: replyErrorOf(err, mRID) });
      }
    }
    return out;
  }

  /** cancel / close by Payload.ID (an mRID each), without a control body. */
  async applyIds(p: Principal, verb: "cancel" | "close", mRIDs: readonly string[]): Promise<ItemOutcome[]> {
    const controls = mRIDs.map(
      (mRID): CimEndDeviceControl => ({
        mRID,
        controlType: "",
        endDeviceGroups: [],
        endDevices: [],
        usagePoints: [],
        usagePointGroups: [],
      }),
    );
    return this.apply(p, verb, controls);
  }

  private async one(p: Principal, verb: string, c: CimEndDeviceControl & { mRID: string }): Promise<Event> {
    const now = this.core.deps.now().toISOString();
    const setStatus = (status: string) =>
      this.db().updateTable("cim_controls").set({ status, updated_at: now }).where("mrid", "=", c.mRID).execute();
    switch (verb) {
      case "create": {
        if (await this.row(c.mRID)) throw new Conflict(`an EndDeviceControl with mRID ${c.mRID} exists`);
        const body = await this.eventBody(p, c);
        const e = await this.core.events.create(p, body);
        try {
          await this.db()
            .insertInto("cim_controls")
            .values({
              mrid: c.mRID,
              event_id: e.id,
              program_id: e.programID,
              status: "active",
              client_id: p.clientId,
              created_at: now,
              updated_at: now,
            })
            .execute();
        } catch (err) {
          // A second create of the same mRID won the race: this one's event goes again.
          await this.core.events.remove(p, e.id);
          throw err;
        }
        return e;
      }
      case "change": {
        const id = await this.eventIdOf(c.mRID);
        const e = await this.core.events.update(p, id, await this.eventBody(p, c));
        await setStatus("active");
        return e;
      }
      case "cancel": {
        // User_Guide.md §7.9: a BL cancels an event by deleting it; VENs hear of the DELETE.
        const e = await this.core.events.remove(p, await this.eventIdOf(c.mRID));
        await setStatus("canceled");
        return e;
      }
      case "close": {
        // The control ends now: its event stays (for reports and history) with its period cut at now.
        const id = await this.eventIdOf(c.mRID);
        const old = await this.core.events.get(p, id);
        const start = old.intervalPeriod?.start ? new Date(old.intervalPeriod.start) : new Date(now);
        const ms = Math.max(0, new Date(now).getTime() - start.getTime());
        const { id: _i, createdDateTime: _c, modificationDateTime: _m, objectType: _o, ...body } = old;
        const e = await this.core.events.update(p, id, {
          ...body,
          intervalPeriod: {
            ...old.intervalPeriod,
            start: start.toISOString(),
            duration: `PT${Math.floor(ms / 1000)}S`,
          },
        });
        await setStatus("closed");
        return e;
      }
      default:
        throw new NotFound(`verb ${verb} is not supported for EndDeviceControls`);
    }
  }
}
