// venID from a client certificate (OpenADR 2.0b profile §security; DIGEST-openadr.md 2.8): the
// last 10 bytes of the SHA-256 of the DER certificate, written as colon-separated hex pairs.
// Senders differ in case and colons, so comparisons go through normaliseFingerprint.
import { createHash } from "node:crypto";

export function certificateFingerprint(der: Uint8Array): string {
  const digest = createHash("sha256").update(der).digest();
  return [...digest.subarray(digest.length - 10)].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** Upper case, no colons: the form two fingerprints are compared in. */
export function normaliseFingerprint(fp: string): string {
  return fp.replace(/:/g, "").toUpperCase();
}
