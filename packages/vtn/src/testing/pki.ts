// A throwaway PKI made with `openssl` at test time: a CA, a server certificate for 127.0.0.1,
// client certificates by common name, revocation into a CRL. For the TLS and mutual TLS tests.
// Keys are EC P-256, or RSA 2048 for a 2.0b VEN that also signs its XML with its TLS key (the
// 2.0b profile signs with RSA-SHA256).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Pki {
  dir: string;
  caCert: string;
  /** Server certificate and key files (CN and SAN 127.0.0.1). */
  serverCert: string;
  serverKey: string;
  crl: string;
  /** A client certificate signed by the CA; returns its cert and key file paths. `file` names a
   * second certificate for the same common name (by default the files are named after it). */
  client(commonName: string, file?: string): { cert: string; key: string };
  /** A new server certificate into the same files (for reload tests); returns its SHA-256 fingerprint. */
  renewServer(): string;
  /** Revokes a certificate and rewrites the CRL file. */
  revoke(certFile: string): void;
  /** SHA-256 fingerprint as `openssl x509 -fingerprint` prints it (AA:BB:...). */
  fingerprint(certFile: string): string;
  remove(): void;
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }).toString();

const CA_CONF = `[ca]
default_ca = ca_default
[ca_default]
dir = .
database = index.txt
new_certs_dir = .
certificate = ca.crt
private_key = ca.key
serial = serial
default_md = sha256
default_crl_days = 2
policy = any
[any]
commonName = supplied
`;

export function makePki(options: { keys?: "ec" | "rsa" } = {}): Pki {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-pki-"));
  writeFileSync(join(dir, "ca.cnf"), CA_CONF);
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  const newKey =
    options.keys === "rsa"
      ? ["-newkey", "rsa:2048", "-nodes"]
      : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    dir,
    "req",
    "-x509",
    ...newKey,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    "/CN=gridlink test CA",
  );
  let n = 0;
  const sign = (name: string, cn: string, ext?: string) => {
    openssl(dir, "req", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    const args = [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-set_serial",
      String(++n + (Date.now() % 100000)),
      "-days",
      "2",
      "-out",
      `${name}.crt`,
    ];
    if (ext) {
      writeFileSync(join(dir, `${name}.ext`), ext);
      args.push("-extfile", `${name}.ext`);
    }
    openssl(dir, ...args);
    return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  };
  const server = () => sign("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  const fingerprint = (certFile: string) =>
    openssl(dir, "x509", "-in", certFile, "-noout", "-fingerprint", "-sha256").trim().split("=")[1];
  const gencrl = () => openssl(dir, "ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");
  const s = server();
  gencrl();
  return {
    dir,
    caCert: join(dir, "ca.crt"),
    serverCert: s.cert,
    serverKey: s.key,
    crl: join(dir, "ca.crl"),
    client: (cn, file = cn) => sign(`client-${file.replace(/[^\w.-]/g, "_")}`, cn, "extendedKeyUsage=clientAuth\n"),
    renewServer: () => fingerprint(server().cert),
    revoke(certFile) {
      openssl(dir, "ca", "-config", "ca.cnf", "-revoke", certFile);
      gencrl();
    },
    fingerprint,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Reads a PEM file (for https.request options). */
export const pem = (file: string) => readFileSync(file);
