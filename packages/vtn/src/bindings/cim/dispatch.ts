// One validated request -> one Reply: noun and verb pick the operation (61968-100 patterns:
// transactions create/change/cancel/close, queries get + Request). An unknown noun or verb is a
// FAILED reply, not a fault: the message itself was valid.
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { ControlsService, ItemOutcome } from "./controls-service.ts";
import type { IncomingMessage } from "./envelope.ts";
import { LISTENER_NOUN, type Listeners } from "./listeners.ts";
import { controlOfEvent } from "./mapping/controls.ts";
import { controlsXml, readControls } from "./payload-controls.ts";
import { type EventSources, getEndDeviceEvents, getMeterReadings, pageOfEvents } from "./queries.ts";
import { type Reply, resultOf } from "./replies.ts";

const TRANSACTIONS = ["create", "change", "cancel", "close"];

function failed(code: string, reason: string): Reply {
  return { result: "FAILED", errors: [{ code, reason }] };
}

function replyOfOutcomes(outcomes: readonly ItemOutcome[]): Reply {
  const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
  const done = outcomes.filter((o) => o.event);
  return {
    result: resultOf(outcomes.length, errors.length),
    errors,
    ids: done.flatMap((o) => [
      { value: o.mRID, objectType: "EndDeviceControl" },
      { value: o.event?.id ?? "", objectType: "EVENT" },
    ]),
  };
}

export interface CimServices {
  core: Core;
  controls: ControlsService;
  listeners: Listeners;
  /** The opts of an event, from the 2.0b binding's EiOpt records. */
  optsOf?: EventSources["optsOf"];
}

export async function dispatch(s: CimServices, p: Principal, m: IncomingMessage): Promise<Reply> {
  const { core, controls } = s;
  const { verb, noun } = m.header;
  switch (noun) {
    case LISTENER_NOUN:
      return s.listeners.handle(p, verb, m.request, m.soap);
    case "EndDeviceControls": {
      if (TRANSACTIONS.includes(verb)) {
        const items = m.payload ? readControls(m.payload) : [];
        if (items.length === 0 && m.payloadIds.length > 0 && (verb === "cancel" || verb === "close"))
          return replyOfOutcomes(await controls.applyIds(p, verb, m.payloadIds));
        if (items.length === 0) return failed("2.5", `${verb} EndDeviceControls needs at least one EndDeviceControl`);
        return replyOfOutcomes(await controls.apply(p, verb, items));
      }
      if (verb === "get") return getControls(core, controls, p, m);
      return failed("2.2", `verb ${verb} is not supported for EndDeviceControls (create, change, cancel, close, get)`);
    }
    case "MeterReadings":
      if (verb === "get") return getMeterReadings(core, p, m.request);
      return failed("2.2", `verb ${verb} is not supported for MeterReadings (get)`);
    case "EndDeviceEvents":
      if (verb === "get")
        return getEndDeviceEvents(core, p, m.request, {
          // A control mRID, else the id of an event made over another profile.
          eventIdOf: (mRID) => controls.eventIdOf(mRID).catch(() => mRID),
          optsOf: s.optsOf,
        });
      return failed("2.2", `verb ${verb} is not supported for EndDeviceEvents (get)`);
    default:
      return failed("2.1", `noun ${noun} is not supported (EndDeviceControls, MeterReadings, EndDeviceEvents)`);
  }
}

/**
 * `get EndDeviceControls`: with Request ID elements, those controls (by control mRID, or by event
 * id); without, every event the client may see, paged like the other queries. An event a CIM
 * client did not make is shown with its event id as mRID.
 */
async function getControls(core: Core, controls: ControlsService, p: Principal, m: IncomingMessage): Promise<Reply> {
  const mRIDs = m.request.ids.map((i) => i.value);
  if (mRIDs.length === 0) {
    const { items, properties } = await pageOfEvents(core, p, m.request);
    const shown = await Promise.all(items.map(async (e) => controlOfEvent(e, (await controls.mRIDOf(e.id)) ?? e.id)));
    return {
      result: "OK",
      errors: [],
      properties,
      ...(shown.length ? { payload: { noun: "EndDeviceControls" as const, content: controlsXml(shown, "m:") } } : {}),
    };
  }
  const found = [];
  const errors = [];
  for (const mRID of mRIDs) {
    try {
      const id = await controls.eventIdOf(mRID).catch(() => mRID);
      found.push(controlOfEvent(await core.events.get(p, id), mRID));
    } catch (err) {
      errors.push({ code: "2.4", reason: (err as Error).message, mRID });
    }
  }
  return {
    result: resultOf(mRIDs.length, errors.length),
    errors,
    ...(found.length ? { payload: { noun: "EndDeviceControls" as const, content: controlsXml(found, "m:") } } : {}),
  };
}
