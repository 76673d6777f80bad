// mDNS/DNS-SD advertisement of a VTN on the local network (Definition.md §Discovery and
// Configuration of Local VTNs, RFC 6762/6763): the service type `_openadr3._tcp`, a SRV record to
// the machine's `.local` hostname and the VTN's port, A/AAAA records of its network addresses,
// and the TXT keys version, base_path, local_url, program_names, requires_auth, openapi_url.
// The responder is bonjour-service (multicast-dns underneath), which also answers PTR queries.
import { hostname as osHostname } from "node:os";
import { Bonjour, type Service } from "bonjour-service";
import { OADR31_PREFIX } from "./bindings/oadr3/index.ts";
import { type Core, principalFor } from "./core/index.ts";

/** The DNS-SD service type, without the leading underscore and protocol (bonjour-service adds them). */
export const OPENADR3_SERVICE_TYPE = "openadr3";

export interface VtnTxt {
  version: string;
  base_path: string;
  local_url: string;
  program_names: string;
  requires_auth: "True" | "False";
  openapi_url: string;
}

export interface TxtInput {
  /** The `.local` hostname the SRV record names, e.g. "myvtn.local". */
  host: string;
  port: number;
  scheme: "http" | "https";
  programNames: readonly string[];
  requiresAuth: boolean;
}

/** One TXT string holds at most 255 bytes (RFC 6763 §6.1): program names that do not fit are left out. */
const TXT_STRING_MAX = 255;

/** The TXT record of Definition.md §Discovery for a 3.1.0 VTN. */
export function vtnTxt(i: TxtInput): VtnTxt {
  const basePath = OADR31_PREFIX.replace(/^\//, "");
  const localUrl = `${i.scheme}://${i.host}:${i.port}/${basePath}`;
  const names: string[] = [];
  for (const n of i.programNames) {
    const next = [...names, n].join(",");
    if (Buffer.byteLength(`program_names=${next}`) > TXT_STRING_MAX) break;
    names.push(n);
  }
  return {
    version: "3.1.0",
    base_path: basePath,
    local_url: localUrl,
    program_names: names.join(","),
    requires_auth: i.requiresAuth ? "True" : "False",
    openapi_url: `${localUrl}/openapi.json`,
  };
}

export interface AdvertiseOptions {
  core: Core;
  port: number;
  scheme: "http" | "https";
  /** Service instance name (default "gridlink VTN on <hostname>"). */
  name?: string;
  /** Hostname without ".local" (default the machine's). */
  hostname?: string;
  /** UDP port of the mDNS traffic: 5353 (RFC 6762 §3) unless a test isolates itself on another. */
  mdnsPort?: number;
  /** How often program_names is read again (default 60 s). */
  refreshMs?: number;
  onError?: (err: Error) => void;
}

export interface Advertisement {
  readonly name: string;
  readonly txt: VtnTxt;
  close(): Promise<void>;
}

/**
 * The programs a VEN with no grants may see, read through core's policy, so the advertisement
 * names no program that is targeted at particular VENs.
 */
async function publicProgramNames(core: Core): Promise<string[]> {
  const anyVen = principalFor("ven", "mdns-advertisement");
  const programs = await core.programs.list(anyVen, { skip: 0, limit: 50 });
  return programs.map((p) => p.programName).sort();
}

export async function advertiseVtn(o: AdvertiseOptions): Promise<Advertisement> {
  const host = `${(o.hostname ?? osHostname()).replace(/\.local\.?$/, "")}.local`;
  const name = o.name ?? `gridlink VTN on ${host.replace(/\.local$/, "")}`;
  const bonjour = new Bonjour(o.mdnsPort ? { port: o.mdnsPort } : {}, (err: Error) => o.onError?.(err));
  const txtFor = async () =>
    vtnTxt({
      host,
      port: o.port,
      scheme: o.scheme,
      programNames: await publicProgramNames(o.core),
      requiresAuth: true,
    });
  let txt = await txtFor();
  let service: Service = bonjour.publish({ name, type: OPENADR3_SERVICE_TYPE, port: o.port, host, txt });
  service.on("error", (err: Error) => o.onError?.(err));
  // program_names follows the programs: the record is published again when they change.
  const timer = setInterval(async () => {
    try {
      const next = await txtFor();
      if (next.program_names === txt.program_names) return;
      txt = next;
      await new Promise<void>((done) => service.stop?.(() => done()));
      service = bonjour.publish({ name, type: OPENADR3_SERVICE_TYPE, port: o.port, host, txt, probe: false });
    } catch (err) {
      o.onError?.(err as Error);
    }
  }, o.refreshMs ?? 60_000);
  timer.unref();
  return {
    name,
    get txt() {
      return txt;
    },
    close: () =>
      new Promise<void>((done) => {
        clearInterval(timer);
        // Goodbye packets (TTL 0, RFC 6762 §10.1) first, then the sockets.
        bonjour.unpublishAll(() => bonjour.destroy(() => done()));
      }),
  };
}

/** Whether a listen address is loopback only: the advertised addresses would not reach it. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
