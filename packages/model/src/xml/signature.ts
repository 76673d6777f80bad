// XML signatures (XML-DSig) of 2.0b payloads, for both ends: the OpenADR 2.0b profile's "high
// security" option puts an enveloping ds:Signature into oadrPayload before oadrSignedObject, its
// Reference URI "#" + the oadrSignedObject's oadr:Id (oadr_20b.xsd oadrPayload). RSA-SHA256 over
// exclusive c14n, with xml-crypto; packages/ven/test/oadr2b-signatures.test.ts checks what is
// signed here against Debian's xmlsec1.
import { SignedXml } from "xml-crypto";
import { parseDom } from "./parse.ts";

const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const SIGNED_OBJECT = "//*[local-name(.)='oadrSignedObject']";

export interface XmlSigningKey {
  /** PEM private key (RSA). */
  privateKey: string;
  /** PEM certificate, carried in KeyInfo so the receiver can check integrity. */
  certificate: string;
}

/** `xml` (an oadrPayload whose oadrSignedObject has an Id attribute) with a ds:Signature before it. */
export function signOadrPayload(xml: string, key: XmlSigningKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({ xpath: SIGNED_OBJECT, digestAlgorithm: SHA256, transforms: [EXC_C14N] });
  sig.computeSignature(xml, { location: { reference: SIGNED_OBJECT, action: "before" } });
  return sig.getSignedXml();
}

export type OadrSignatureCheck = { signed: false } | { signed: true; valid: boolean; reason?: string };

/**
 * Whether `xml` carries a ds:Signature and whether it verifies — with `certificate` (PEM) when
 * given (who signed), else with the certificate of its own KeyInfo (integrity only) — and covers
 * the oadrSignedObject (a signature over something else proves nothing about the message).
 */
export function checkOadrSignature(xml: string, certificate?: string): OadrSignatureCheck {
  const doc = parseDom(xml);
  const nodes = doc.getElementsByTagNameNS(DSIG, "Signature");
  if (nodes.length === 0) return { signed: false };
  // xml-crypto looks references up by Id/ID/id already (oadr:Id matches by local name); naming
  // "Id" once more would count the signed element twice and refuse it as a wrapping attack.
  const sig = new SignedXml({
    ...(certificate ? { publicCert: certificate } : { getCertFromKeyInfo: SignedXml.getCertFromKeyInfo }),
  });
  try {
    sig.loadSignature(nodes[0] as unknown as Node);
    if (!sig.checkSignature(xml)) return { signed: true, valid: false, reason: "the signature does not verify" };
    const covers = sig.getSignedReferences().some((r) => /oadrSignedObject/.test(r));
    return covers
      ? { signed: true, valid: true }
      : { signed: true, valid: false, reason: "the signature does not cover oadrSignedObject" };
  } catch (err) {
    return { signed: true, valid: false, reason: (err as Error).message.split("\n")[0] };
  }
}
