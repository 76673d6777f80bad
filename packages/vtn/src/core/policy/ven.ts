// Ven objects (Definition.md §Object Privacy, "ven objects"): BL creates them with the clientID
// of the VEN they describe and grants targets; a VEN may create and rename its own, but only BL
// writes targets or clientID (docs/security.md).
import type { BlVenRequest, Ven, VenVenRequest } from "@gridlink/model";
import { checkedBody } from "../context.ts";
import { Forbidden } from "../errors.ts";
import { type Principal, readsAll } from "../principal.ts";
import { OwnedPolicy } from "./owned.ts";

export class VenPolicy extends OwnedPolicy<Ven> {
  constructor() {
    super("ven", ["read_all", "read_ven_objects"], ["write_vens"]);
  }

  /**
   * Telling a ven's VEN to register again or dropping its registration (OpenADR 2.0b
   * oadrRequestReregistration, oadrCancelPartyRegistration from the VTN) is BL's: write_vens and
   * reading all; a VEN re-registers by itself.
   */
  mayManageRegistration(p: Principal): void {
    this.mayWrite(p);
    if (!readsAll(p)) throw new Forbidden("only the BL asks a VEN to register again or cancels its registration");
  }

  /**
   * The fields `p` writes from `body` (BlVenRequest for BL, VenVenRequest for a VEN, whose ven
   * carries its own clientID); on update a VEN keeps the targets and clientID BL gave `old`.
   */
  fields(p: Principal, body: unknown, old?: Ven): BlVenRequest {
    if (readsAll(p)) return checkedBody<BlVenRequest>("BlVenRequest", body);
    const req = checkedBody<VenVenRequest>("VenVenRequest", body, ["clientID", "targets"]);
    const kept = old ? { clientID: old.clientID, targets: old.targets } : { clientID: p.clientId };
    return { ...req, ...kept } as BlVenRequest;
  }
}
