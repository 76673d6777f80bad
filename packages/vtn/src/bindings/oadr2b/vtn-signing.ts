// The VTN's own XML signatures (OpenADR 2.0b profile, XML signature: an enveloped ds:Signature in
// oadrPayload before oadrSignedObject, its Reference "#" + the oadrSignedObject's oadr:Id;
// oadr_20b.xsd oadrPayload). With a key configured (oadr2bSigningKey, oadr2bSigningCert) the VTN
// signs its reply to a VEN that signed its request or registered with oadrXmlSignature=true, or
// every reply with oadr2bSignAll. The signing itself is @gridlink/model/xml's (signature.ts), the
// same the VEN SDK signs and verifies with; test/oadr2b/vtn-signing.test.ts checks it with xmlsec1.
import { readFileSync } from "node:fs";
import type { Principal } from "../../core/principal.ts";
import { type Oadr2bDeps, tablesOf } from "./context.ts";
import { type SigningKey, signPayload } from "./signature.ts";

export interface VtnSigning extends SigningKey {
  /** Sign every message, not only those to VENs that sign. */
  always: boolean;
}

/** The signing settings of the VTN configuration (PEM files), or undefined when it does not sign. */
export function vtnSigningOf(c: {
  oadr2bSigningKey: string;
  oadr2bSigningCert: string;
  oadr2bSignAll: boolean;
}): VtnSigning | undefined {
  if (!c.oadr2bSigningKey || !c.oadr2bSigningCert) return undefined;
  return {
    privateKey: readFileSync(c.oadr2bSigningKey, "utf8"),
    certificate: readFileSync(c.oadr2bSigningCert, "utf8"),
    always: c.oadr2bSignAll,
  };
}

/** The oadr:Id our signatures refer to (any value would do; the VEN SDK uses the same). */
const SIGNED_OBJECT_ID = "signedObject";

/**
 * `xml` (one of our oadrPayloads) signed with `key`: its oadrSignedObject given an oadr:Id first.
 * A message signed already (a pushed one queued again for a poll) is left as it is.
 */
export function signOutbound(xml: string, key: SigningKey): string {
  if (/<(?:[\w.-]+:)?Signature[\s>]/.test(xml)) return xml;
  const withId = /<oadr:oadrSignedObject[^>]*\boadr:Id=/.test(xml)
    ? xml
    : xml.replace(/<oadr:oadrSignedObject(?=[\s/>])/, `<oadr:oadrSignedObject oadr:Id="${SIGNED_OBJECT_ID}"`);
  return signPayload(withId, key);
}

/**
 * Whether the reply to `p` is signed: a key is configured and it signs everything, or the
 * request was signed, or one of the client's registrations said oadrXmlSignature=true.
 */
export async function signsFor(deps: Oadr2bDeps, p: Principal | undefined, requestSigned: boolean): Promise<boolean> {
  const s = deps.signing;
  if (!s) return false;
  if (s.always || requestSigned) return true;
  if (!p) return false;
  const row = await tablesOf(deps)
    .selectFrom("oadr2b_registrations")
    .select("ven_id")
    .where("client_id", "=", p.clientId)
    .where("xml_signature", "=", 1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A message to `reg` as it leaves the VTN outside a request (a push): signed when the VTN signs
 * everything or the VEN registered with oadrXmlSignature=true.
 */
export function signedFor(deps: Oadr2bDeps, reg: { xml_signature: number }, xml: string): string {
  const s = deps.signing;
  return s && (s.always || reg.xml_signature === 1) ? signOutbound(xml, s) : xml;
}
