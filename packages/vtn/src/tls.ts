// TLS on the API itself, after the IEC 62351-3 profile: TLS 1.2 and 1.3 only, the profile's
// AES-GCM suites with ECDHE (forward secrecy), certificate and key from files, reloaded on SIGHUP
// without a restart. With a client CA, clients may present certificates (mutual TLS) as an
// authentication method beside OAuth2 bearer tokens; a CRL file revokes them. One home for every
// binding that needs the verified peer certificate (the 3.1 API, OpenADR 2.0b VENs).
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { SecureContextOptions, TLSSocket } from "node:tls";

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** CA certificates client certificates must chain to; unset = no client certificates asked. */
  clientCaFile?: string;
  /** Certificate revocation list(s) for client certificates. */
  crlFile?: string;
}

/**
 * IEC 62351-3 Ed. 2 cipher suites: for TLS 1.2 the ECDHE suites with AES-GCM, for TLS 1.3 the
 * AES-GCM suites (CBC, RSA key exchange, CHACHA20 and everything older are left out).
 */
export const TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES256-GCM-SHA384",
];
export const TLS13_CIPHERS = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"];

/** The secure context options, read from the files now (at start, and again at each reload). */
export function secureContextOptions(files: TlsFiles): SecureContextOptions & {
  requestCert: boolean;
  rejectUnauthorized: boolean;
} {
  return {
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    ca: files.clientCaFile ? readFileSync(files.clientCaFile) : undefined,
    crl: files.crlFile ? readFileSync(files.crlFile) : undefined,
    minVersion: "TLSv1.2",
    maxVersion: "TLSv1.3",
    ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(":"),
    honorCipherOrder: true,
    ecdhCurve: "X25519:P-256:P-384",
    // Asked, not required: a client without a certificate may still use an OAuth2 token; an
    // unverified one (unknown CA, revoked, expired) authenticates nobody (peerCertificate).
    requestCert: Boolean(files.clientCaFile),
    rejectUnauthorized: false,
  };
}

/** What a binding learns of a verified client certificate. */
export interface PeerCertificate {
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons (as Node prints it). */
  fingerprint256: string;
  /** Subject common name, the client id it maps to. */
  commonName?: string;
}

/**
 * The client certificate of this request if the TLS layer verified it against the client CA
 * (and the CRL); undefined over plain HTTP, without a certificate, or with one that failed.
 */
export function peerCertificate(req: IncomingMessage | { raw: IncomingMessage }): PeerCertificate | undefined {
  const raw = "raw" in req ? req.raw : req;
  const socket = raw.socket as TLSSocket;
  if (!socket || typeof socket.getPeerCertificate !== "function" || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert?.fingerprint256) return undefined;
  const cn = cert.subject?.CN;
  return { fingerprint256: cert.fingerprint256, commonName: Array.isArray(cn) ? cn[0] : cn };
}

/** The verified peer certificate's SHA-256 fingerprint (see peerCertificate), for 2.0b venIDs. */
export function peerFingerprint(req: IncomingMessage | { raw: IncomingMessage }): string | undefined {
  return peerCertificate(req)?.fingerprint256;
}

/**
 * The OpenADR 2.0b venID of a certificate fingerprint: its last 10 bytes, lower-case hex pairs
 * joined by colons (DESIGN.md "Known spec traps": normalise case and colons).
 */
export function venIdOfFingerprint(fingerprint256: string): string {
  const bytes = fingerprint256.replace(/:/g, "").toLowerCase().match(/../g) ?? [];
  return bytes.slice(-10).join(":");
}
