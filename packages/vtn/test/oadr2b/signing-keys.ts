// RSA keys for the XML signature tests (the 2.0b profile signs with RSA-SHA256), made with openssl
// at test time, and Debian's xmlsec1 as the independent verifier.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RsaKey {
  /** PEM files, in a temporary dir of their own. */
  key: string;
  cert: string;
  /** Their contents. */
  privateKey: string;
  certificate: string;
  /** Removes the PEM files: once nothing reads them any more (a VTN given them has closed). */
  remove(): void;
}

/** A self-signed RSA 2048 certificate and its key, with `name` as CN. */
export function rsaKey(name: string): RsaKey {
  const dir = mkdtempSync(join(tmpdir(), "oadr2b-keys-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}-cert.pem`);
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        `/CN=${name}`,
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "pipe" },
    );
    return { key, cert, privateKey: readFileSync(key, "utf8"), certificate: readFileSync(cert, "utf8"), remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/** The attribute xmlsec1 takes as an ID: the oadrSignedObject's oadr:Id. */
export const XMLSEC_ID_ATTR = ["--id-attr:Id", "http://openadr.org/oadr-2.0b/2012/07:oadrSignedObject"];

/** `fn` given `xml` in a file, in a temporary dir removed when `fn` returns. */
function withXmlFile<T>(xml: string, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "oadr2b-xml-"));
  try {
    const file = join(dir, "message.xml");
    writeFileSync(file, xml);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether xmlsec1 verifies the signature of `xml` with the certificate in `certFile`. */
export function xmlsec1Verifies(xml: string, certFile: string): boolean {
  return withXmlFile(xml, (file) => {
    try {
      execFileSync("xmlsec1", ["--verify", "--pubkey-cert-pem", certFile, ...XMLSEC_ID_ATTR, file], {
        stdio: "pipe",
      });
      return true;
    } catch {
      return false;
    }
  });
}

/** `template` (a ds:Signature with empty values) signed by xmlsec1 with `k`. */
export function xmlsec1Signs(template: string, k: RsaKey): string {
  return withXmlFile(template, (file) =>
    execFileSync("xmlsec1", ["--sign", "--privkey-pem", `${k.key},${k.cert}`, ...XMLSEC_ID_ATTR, file], {
      stdio: ["ignore", "pipe", "pipe"],
    }).toString("utf8"),
  );
}
