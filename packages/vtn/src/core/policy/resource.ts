// Resources of a ven (Definition.md §Object Privacy, "resource objects"). A resource's clientID is
// always its ven's, so ownership follows the ven; a VEN writes resources of its own vens only, and
// only BL writes targets.
import type { BlResourceRequest, Resource, Ven, VenResourceRequest } from "@gridlink/model";
import { checkedBody } from "../context.ts";
import { type Principal, readsAll } from "../principal.ts";
import { OwnedPolicy } from "./owned.ts";

export class ResourcePolicy extends OwnedPolicy<Resource> {
  constructor() {
    super("resource", ["read_all", "read_ven_objects"], ["write_vens"]);
  }

  /** The writable fields for `p`: BlResourceRequest for BL, VenResourceRequest for a VEN. */
  fields(p: Principal, body: unknown): BlResourceRequest {
    if (readsAll(p)) {
      // The clientID is always the ven's (stamped by `stamped`), so BL need not send it although
      // BlResourceRequest requires it: validate with a stand-in, which is then replaced.
      const plain = body !== null && typeof body === "object" && !Array.isArray(body);
      const withClient = plain && !("clientID" in body) ? { ...body, clientID: "-" } : body;
      return checkedBody<BlResourceRequest>("BlResourceRequest", withClient);
    }
    return checkedBody<VenResourceRequest>("VenResourceRequest", body, ["clientID", "targets"]) as BlResourceRequest;
  }

  /** Whether `p` may attach resources to `ven` (BL: any; a VEN: its own). */
  mayAttach(p: Principal, ven: Ven): boolean {
    return readsAll(p) || ven.clientID === p.clientId;
  }

  /** The resource as stored: its ven's clientID; a VEN keeps the targets BL gave `old`. */
  stamped(p: Principal, fields: BlResourceRequest, ven: Ven, old?: Resource): Omit<Resource, keyof Meta> {
    const kept = !readsAll(p) && old ? { targets: old.targets } : {};
    return { ...fields, ...kept, clientID: ven.clientID } as Omit<Resource, keyof Meta>;
  }

  /** A resource re-stamped after its ven changed owner. */
  restamped(r: Resource, ven: Ven): Resource {
    return { ...r, clientID: ven.clientID };
  }
}

type Meta = { id: string; createdDateTime: string; modificationDateTime: string; objectType: string };
