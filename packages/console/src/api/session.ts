// The operator's session: a BL token from the VTN's own token endpoint (openadr3.yaml
// /auth/token, client credentials grant). It lives in sessionStorage — one browser tab, gone when
// the tab closes — never in a URL or localStorage; logout removes it (docs/console.md §Session).
import { scopesOf } from "../logic/permissions.ts";
import { problemOf } from "../logic/problem.ts";

export interface Session {
  /** The OpenADR 3.1.0 base URL, e.g. https://vtn.example/openadr3/3.1.0 */
  base: string;
  clientId: string;
  token: string;
  scopes: string[];
  /** Epoch ms when the token expires. */
  expiresAt: number;
}

const KEY = "gridlink.console.session";
export const OADR31_PATH = "/openadr3/3.1.0";

export function defaultBase(): string {
  return `${window.location.origin}${OADR31_PATH}`;
}

export function loadSession(): Session | undefined {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== "string" || !(s.expiresAt > Date.now())) {
      window.sessionStorage.removeItem(KEY);
      return undefined;
    }
    return s;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  window.sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  window.sessionStorage.removeItem(KEY);
}

/** Scopes a console session needs: reading everything and writing what the console edits. */
export const NEEDED_SCOPES = ["read_all"] as const;

export async function login(base: string, clientId: string, clientSecret: string): Promise<Session> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: clientSecret,
  });
  let res: Response;
  try {
    res = await fetch(`${base}/auth/token`, { method: "POST", body: form, cache: "no-store" });
  } catch {
    throw new Error("the VTN did not answer; is it running?");
  }
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok || typeof body?.access_token !== "string") {
    throw new Error(problemOf(res.status, res.statusText, body).detail);
  }
  const scopes = scopesOf(body.scope, body.access_token);
  const missing = NEEDED_SCOPES.filter((s) => !scopes.includes(s));
  if (missing.length > 0)
    throw new Error(
      `these credentials lack scope ${missing.join(", ")}: the console needs a BL client or an operator role (viewer, operator, engineer)`,
    );
  const ttl = typeof body.expires_in === "number" ? body.expires_in : 3600;
  return { base, clientId, token: body.access_token, scopes, expiresAt: Date.now() + ttl * 1000 };
}
