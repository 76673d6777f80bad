// Access tokens. Built-in mode: HS256 JWTs signed with a key created at first start and kept in
// the data dir (mode 0600), named in each token's `kid` so that keys rotate without invalidating
// live tokens (signing-keys.ts). External mode: tokens of an OAuth2/OIDC issuer, checked against its
// JWKS, with configurable claims for the client id and the role.
import { randomBytes } from "node:crypto";
import type { Scope } from "@gridlink/model";
import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { Unauthorized } from "../core/errors.ts";
import { type Principal, ROLE_SCOPES, type Role } from "../core/principal.ts";
import { SigningKeys } from "./signing-keys.ts";

const ALL_SCOPES = new Set<Scope>([
  "read_all",
  "read_bl",
  "read_targets",
  "read_ven_objects",
  "write_programs",
  "write_events",
  "write_reports",
  "write_subscriptions",
  "write_vens",
  "read_audit",
]);

export interface ExternalAuthConfig {
  jwksUrl: string;
  issuer: string;
  audience?: string;
  /** Claim naming the client (Definition.md §VEN created object privacy); default `sub`. */
  clientIdClaim: string;
  /** Claim holding the role ("bl", "ven", "admin") or a list containing one; default `role`. */
  roleClaim: string;
  /** Maps claim values onto roles, e.g. {"openadr-bl": "bl"}. */
  roleMap: Record<string, Role>;
  tokenUrl?: string;
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; the scheme's case does
 * not matter), or undefined when the header is missing or of another form.
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

const BEARER = /^Bearer\s+(\S+)$/i;

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /**
   * The principal of a token `verify` accepted before and that is still cached (not expired, not
   * revoked since, within its recheck bound), without waiting; undefined: ask `verify`.
   */
  cached?(token: string): Principal | undefined;
  /** Forgets what it cached for a revoked client, so its next request is checked again. */
  forget?(clientId: string): void;
}

const ISSUER = "gridlink";
const RECHECK_SECONDS = 60;

export type ActiveCheck = (clientId: string) => Promise<boolean>;
const AUDIENCE = "gridlink-vtn";

/** Scopes of a token: those it names that we know, or else the role's defaults. */
function scopesOf(payload: JWTPayload, role: Role): Set<Scope> {
  const raw = payload.scope ?? payload.scp;
  const names = typeof raw === "string" ? raw.split(" ") : Array.isArray(raw) ? raw.map(String) : undefined;
  if (!names) return new Set(ROLE_SCOPES[role]);
  return new Set(names.filter((s): s is Scope => ALL_SCOPES.has(s as Scope)));
}

/** Caches verified tokens until they expire: the polling path then verifies each token once. */
class VerifiedCache {
  // A bounded LRU: a full cache forgets the least recently used token (verified again on its next use).
  private readonly map = new LRUCache<string, { p: Principal; exp: number; epoch: number }>({ max: 20_000 });
  /** Per client, bumped at each revocation: entries cached before it are stale. */
  private readonly epochs = new Map<string, number>();
  constructor(private readonly now: () => Date) {}
  get(token: string): Principal | undefined {
    const e = this.map.get(token);
    if (!e) return undefined;
    if (e.exp <= this.now().getTime() || e.epoch !== (this.epochs.get(e.p.clientId) ?? 0)) {
      this.map.delete(token);
      return undefined;
    }
    return e.p;
  }
  set(token: string, p: Principal, expSeconds: number | undefined): void {
    const epoch = this.epochs.get(p.clientId) ?? 0;
    this.map.set(token, { p, exp: (expSeconds ?? this.now().getTime() / 1000 + 60) * 1000, epoch });
  }
  /** Drops every cached token of `clientId` (it was disabled or removed). */
  forget(clientId: string): void {
    this.epochs.set(clientId, (this.epochs.get(clientId) ?? 0) + 1);
  }
}

function failure(err: unknown): Unauthorized {
  const code = (err as { code?: string }).code;
  if (code === "ERR_JWT_EXPIRED")
    return new Unauthorized("the access token has expired; fetch a new one from /auth/token");
  if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")
    return new Unauthorized("the access token signature is not valid");
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED")
    return new Unauthorized(`the access token is not for this VTN: ${(err as Error).message}`);
  return new Unauthorized("the access token is malformed");
}

export class BuiltinIssuer implements TokenVerifier {
  private readonly cache: VerifiedCache;

  private constructor(
    private readonly keys: SigningKeys,
    readonly ttlSeconds: number,
    private readonly isActive: ActiveCheck,
    private readonly now: () => Date,
  ) {
    this.cache = new VerifiedCache(now);
  }

  /**
   * Loads the signing key from `dataDir`, creating it on first start. `isActive` tells whether a
   * client may still use its tokens (not disabled or removed since they were issued). `now` is the
   * clock tokens are issued and checked by (tests move it instead of waiting for expiry).
   */
  static open(
    dataDir: string,
    ttlSeconds: number,
    isActive: ActiveCheck = async () => true,
    now: () => Date = () => new Date(),
  ): BuiltinIssuer {
    return new BuiltinIssuer(new SigningKeys(dataDir), ttlSeconds, isActive, now);
  }

  forget(clientId: string): void {
    this.cache.forget(clientId);
  }

  /** The key of a token's `kid` header (signing-keys.ts); an unknown kid fails like a bad signature. */
  private readonly keyFor = (header: { kid?: string }): Uint8Array => {
    const key = this.keys.verifying(header.kid);
    if (!key) throw Object.assign(new Error("unknown kid"), { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
    return key;
  };

  async issue(clientId: string, role: Role, scopes: readonly Scope[]): Promise<string> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const { kid, key } = this.keys.signing();
    return new SignJWT({ role, scope: scopes.join(" ") })
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid })
      .setSubject(clientId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setJti(randomBytes(8).toString("hex"))
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(key);
  }

  cached(token: string): Principal | undefined {
    return this.cache.get(token);
  }

  async verify(token: string): Promise<Principal> {
    const hit = this.cache.get(token);
    if (hit) return hit;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keyFor, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        currentDate: this.now(),
      }));
    } catch (err) {
      throw failure(err);
    }
    const role = payload.role as Role;
    if (!payload.sub || !(role in ROLE_SCOPES)) throw new Unauthorized("the access token names no client or role");
    if (!(await this.isActive(payload.sub)))
      throw new Unauthorized("the client of this access token is disabled or removed");
    const p: Principal = { clientId: payload.sub, role, scopes: scopesOf(payload, role) };
    // Re-checked at least every minute; a revocation drops the entry at once (forget, revocation.ts).
    this.cache.set(token, p, Math.min(payload.exp ?? 0, this.now().getTime() / 1000 + RECHECK_SECONDS));
    return p;
  }
}

export class ExternalVerifier implements TokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly cache: VerifiedCache;

  constructor(
    private readonly cfg: ExternalAuthConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.jwks = createRemoteJWKSet(new URL(cfg.jwksUrl));
    this.cache = new VerifiedCache(now);
  }

  cached(token: string): Principal | undefined {
    return this.cache.get(token);
  }

  async verify(token: string): Promise<Principal> {
    const hit = this.cache.get(token);
    if (hit) return hit;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
        currentDate: this.now(),
      }));
    } catch (err) {
      throw failure(err);
    }
    const clientId = payload[this.cfg.clientIdClaim];
    if (typeof clientId !== "string" || clientId === "")
      throw new Unauthorized(`the access token has no "${this.cfg.clientIdClaim}" claim`);
    const role = this.roleOf(payload[this.cfg.roleClaim]);
    if (!role) throw new Unauthorized(`the access token's "${this.cfg.roleClaim}" claim maps to no gridlink role`);
    const p: Principal = { clientId, role, scopes: scopesOf(payload, role) };
    this.cache.set(token, p, payload.exp);
    return p;
  }

  private roleOf(claim: unknown): Role | undefined {
    const values = Array.isArray(claim) ? claim.map(String) : typeof claim === "string" ? [claim] : [];
    for (const v of values) {
      const mapped = this.cfg.roleMap[v] ?? (v in ROLE_SCOPES ? (v as Role) : undefined);
      if (mapped) return mapped;
    }
    return undefined;
  }
}
