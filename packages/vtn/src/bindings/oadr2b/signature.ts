// XML signatures of 2.0b payloads (OpenADR 2.0b profile, "high security"; oadr_20b.xsd
// oadrPayload: an optional enveloping ds:Signature before oadrSignedObject, whose Reference URI is
// "#" + the oadrSignedObject's oadr:Id). RSA-SHA256 over exclusive c14n, with xml-crypto;
// test/oadr2b/signature.test.ts checks both directions against Debian's xmlsec1.
import { XMLSerializer } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { parseDom } from "../xml/index.ts";

const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const SIGNED_OBJECT = "//*[local-name(.)='oadrSignedObject']";

export interface SigningKey {
  /** PEM private key. */
  privateKey: string;
  /** PEM certificate, sent in KeyInfo. */
  certificate: string;
}

/** `xml` (an oadrPayload whose oadrSignedObject has an oadr:Id) with a ds:Signature before it. */
export function signPayload(xml: string, key: SigningKey): string {
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

export type SignatureCheck = { signed: false } | { signed: true; valid: boolean; reason?: string };

/**
 * Whether `xml` carries a ds:Signature and, if so, whether it verifies with `certificate` (PEM)
 * — or, without one, with the certificate in its own KeyInfo (integrity only: who signed is then
 * the TLS layer's question) — and covers the oadrSignedObject.
 */
export function checkPayloadSignature(xml: string, certificate?: string): SignatureCheck {
  const doc = parseDom(xml);
  const nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
  if (nodes.length === 0) return { signed: false };
  // xml-crypto reads the Signature element with its own DOM: hand it the element's text.
  const signature = new XMLSerializer().serializeToString(nodes[0] as never);
  // xml-crypto looks up Id, ID and id itself (and refuses duplicates: signature wrapping).
  const sig = new SignedXml({
    ...(certificate ? { publicCert: certificate } : { getCertFromKeyInfo: SignedXml.getCertFromKeyInfo }),
  });
  try {
    sig.loadSignature(signature);
    if (!sig.checkSignature(xml)) return { signed: true, valid: false, reason: "the signature does not verify" };
    const covers = sig.getSignedReferences().some((r) => /oadrSignedObject/.test(r));
    return covers
      ? { signed: true, valid: true }
      : { signed: true, valid: false, reason: "the signature does not cover oadrSignedObject" };
  } catch (err) {
    return { signed: true, valid: false, reason: (err as Error).message.split("\n")[0] };
  }
}
