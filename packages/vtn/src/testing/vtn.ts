// A real VTN on an ephemeral loopback port with a fresh data dir, for tests: on SQLite in the data
// dir, or on a fresh PostgreSQL database with GRIDLINK_TEST_STORE=postgres (test-store.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClientCredentials, createVtn, type Vtn, type VtnConfig, type VtnOptions } from "../index.ts";
import { dropTestDatabase, testStoreConfig } from "./test-store.ts";

export interface TestVtn {
  vtn: Vtn;
  /** OpenADR 3.1.0 base URL, e.g. http://127.0.0.1:PORT/openadr3/3.1.0 */
  url: string;
  dataDir: string;
  bl: ClientCredentials;
  /** Two VEN clients, each with a ven object granted targets ["demo", its venName]. */
  vens: Array<ClientCredentials & { venName: string; venID: string }>;
  /** A bearer token for the given credentials (client credentials grant over HTTP). */
  token(c: ClientCredentials, scope?: string): Promise<string>;
  /** fetch against the base URL with a bearer token and JSON body. */
  call(
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** What every test VTN runs with, in this process or a child one. */
export const TEST_VTN_CONFIG: Partial<VtnConfig> = {
  host: "127.0.0.1",
  port: 0,
  logLevel: "silent",
  tokenRateLimitPerMinute: 0,
  // Webhook receivers in tests listen on loopback over plain http; the MQTT broker on a free port.
  webhookAllowHttp: true,
  webhookAllowPrivate: true,
  mqttPort: 0,
};

/** A VTN in this process; `options.now` is its clock (see `createVtn`). */
export async function startTestVtn(config: Partial<VtnConfig> = {}, options: VtnOptions = {}): Promise<TestVtn> {
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), "gridlink-test-"));
  const vtn = await createVtn({ ...TEST_VTN_CONFIG, ...(await testStoreConfig(dataDir)), ...config, dataDir }, options);
  const url = await vtn.listen();
  const demo = vtn.demo;
  if (!demo) throw new Error("test VTN expected an empty data dir (demo clients)");
  const token = tokenSource(url);
  const call = jsonCall(url);
  return {
    vtn,
    url,
    dataDir,
    bl: demo.bl,
    vens: demo.vens,
    token,
    call,
    async close() {
      await vtn.close();
      if (config.dataDir) return;
      await dropTestDatabase(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Actors {
  bl: string;
  ven1: string;
  ven2: string;
}

/** Tokens of the three demo actors: the BL and the two VENs. */
export async function actors(t: TestVtn): Promise<Actors> {
  const [bl, ven1, ven2] = await Promise.all([t.token(t.bl), t.token(t.vens[0]), t.token(t.vens[1])]);
  return { bl, ven1, ven2 };
}

/** Bearer tokens from the VTN at `base` (client credentials grant over HTTP), one per client and scope. */
export function tokenSource(base: string): (c: ClientCredentials, scope?: string) => Promise<string> {
  const tokens = new Map<string, string>();
  return async (c, scope) => {
    const key = `${c.clientId} ${scope ?? ""}`;
    const hit = tokens.get(key);
    if (hit) return hit;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
    if (scope) form.set("scope", scope);
    const res = await fetch(`${base}/auth/token`, { method: "POST", body: form });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
    tokens.set(key, body.access_token);
    return body.access_token;
  };
}

/** fetch against `base` with a bearer token and a JSON body; the answer parsed when it is JSON. */
export function jsonCall(base: string) {
  return async (tok: string | undefined, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (tok) headers.authorization = `Bearer ${tok}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
}
