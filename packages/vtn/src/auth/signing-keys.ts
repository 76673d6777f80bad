// The built-in issuer's HS256 keys in the data dir: `jwt-signing-key` holds the current one (as
// ever), `jwt-signing-keys.previous` the retired ones. Each key is named by its `kid` (derived
// from the key), written into every token's header, so a rotation does not invalidate live
// tokens: they verify with their retired key until they expire. Files are mode 0600.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Retired keys kept (tokens live tokenTtlSeconds; a few rotations' worth is plenty). */
const KEEP_PREVIOUS = 5;
/** Looks at the files for a rotation by another process at most this often. */
const RECHECK_MS = 1000;

export interface SigningKey {
  kid: string;
  key: Uint8Array;
}

const kidOf = (key: Uint8Array) => createHash("sha256").update(key).digest("base64url").slice(0, 12);

function parse(line: string): Uint8Array {
  return Buffer.from(line.trim(), "base64url");
}

export class SigningKeys {
  private current!: SigningKey;
  private readonly byKid = new Map<string, Uint8Array>();
  private mtime = 0;
  private checked = 0;

  constructor(private readonly dataDir: string) {
    const file = this.currentFile;
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    this.load();
  }

  private get currentFile() {
    return join(this.dataDir, "jwt-signing-key");
  }

  private get previousFile() {
    return join(this.dataDir, "jwt-signing-keys.previous");
  }

  private load(): void {
    const key = parse(readFileSync(this.currentFile, "utf8"));
    this.current = { kid: kidOf(key), key };
    this.byKid.clear();
    this.byKid.set(this.current.kid, key);
    if (existsSync(this.previousFile))
      for (const line of readFileSync(this.previousFile, "utf8").split("\n").filter(Boolean)) {
        const k = parse(line);
        this.byKid.set(kidOf(k), k);
      }
    this.mtime = statSync(this.currentFile).mtimeMs;
  }

  /** Rereads the files when the current one changed (a rotation by the CLI or another process). */
  private fresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.checked < RECHECK_MS) return;
    this.checked = now;
    if (statSync(this.currentFile).mtimeMs !== this.mtime) this.load();
  }

  /** The key new tokens are signed with. */
  signing(): SigningKey {
    this.fresh();
    return this.current;
  }

  /** The key of a token's `kid` (tokens from before kids: the current key); undefined if unknown. */
  verifying(kid: string | undefined): Uint8Array | undefined {
    this.fresh();
    if (kid === undefined) return this.current.key;
    let key = this.byKid.get(kid);
    if (!key) {
      this.fresh(true);
      key = this.byKid.get(kid);
    }
    return key;
  }

  /**
   * A new current key; the old one moves to the retired list (the oldest beyond KEEP_PREVIOUS go,
   * and with them the tokens still signed by them). Returns the new kid.
   */
  static rotate(dataDir: string): string {
    const keys = new SigningKeys(dataDir);
    const previous = keys.previousFile;
    const old = readFileSync(keys.currentFile, "utf8").trim();
    const kept = existsSync(previous) ? readFileSync(previous, "utf8").split("\n").filter(Boolean) : [];
    writeFileSync(`${previous}.tmp`, `${[old, ...kept].slice(0, KEEP_PREVIOUS).join("\n")}\n`, { mode: 0o600 });
    renameSync(`${previous}.tmp`, previous);
    const fresh = randomBytes(32);
    writeFileSync(`${keys.currentFile}.tmp`, fresh.toString("base64url"), { mode: 0o600 });
    renameSync(`${keys.currentFile}.tmp`, keys.currentFile);
    return kidOf(fresh);
  }
}
