// Discovery of a local VTN by mDNS/DNS-SD (Definition.md §Discovery and Configuration of Local
// VTNs: a VEN within a customer site SHOULD support it): browse `_openadr3._tcp`, read the SRV,
// A/AAAA and TXT records, and say where the VTN's API is.
import { lookup } from "node:dns/promises";
import { Bonjour, type Service } from "bonjour-service";

export interface DiscoveredVtn {
  /** Service instance name, e.g. "My_VTN". */
  name: string;
  /** The SRV target, a `.local` hostname. */
  host: string;
  port: number;
  addresses: string[];
  version?: string;
  basePath?: string;
  /** TXT local_url, with the `.local` hostname (the spec's preferred form). */
  localUrl?: string;
  programNames: string[];
  requiresAuth?: boolean;
  openapiUrl?: string;
}

export interface DiscoverOptions {
  /** How long to listen for answers, ms (default 3000). */
  timeoutMs?: number;
  /** Resolve at the first VTN found instead of waiting the whole time. */
  first?: boolean;
  /** Only VTNs whose TXT version starts with this (e.g. "3.1"). */
  version?: string;
  /** UDP port of the mDNS traffic: 5353 (RFC 6762 §3) unless a test isolates itself on another. */
  mdnsPort?: number;
}

/** A browsed service as a DiscoveredVtn; TXT values arrive as strings (or Buffers for binary ones). */
export function fromService(s: Pick<Service, "name" | "host" | "port" | "addresses" | "txt">): DiscoveredVtn {
  const txt = (s.txt ?? {}) as Record<string, unknown>;
  const str = (k: string) => (txt[k] === undefined || txt[k] === true ? undefined : String(txt[k]));
  const auth = str("requires_auth")?.toLowerCase();
  return {
    name: s.name,
    host: s.host,
    port: s.port,
    addresses: [...(s.addresses ?? [])],
    version: str("version"),
    basePath: str("base_path"),
    localUrl: str("local_url"),
    programNames: (str("program_names") ?? "").split(",").filter(Boolean),
    requiresAuth: auth === undefined ? undefined : auth === "true",
    openapiUrl: str("openapi_url"),
  };
}

/** Browses for VTNs; resolves to those that answered within the time (the first one with `first`). */
export function discoverVtns(o: DiscoverOptions = {}): Promise<DiscoveredVtn[]> {
  const bonjour = new Bonjour(o.mdnsPort ? { port: o.mdnsPort } : {});
  const found = new Map<string, DiscoveredVtn>();
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      browser.stop();
      bonjour.destroy(() => resolve([...found.values()]));
    };
    const browser = bonjour.find({ type: "openadr3" }, (s) => {
      const v = fromService(s);
      if (o.version && !v.version?.startsWith(o.version)) return;
      found.set(`${v.name}@${v.host}:${v.port}`, v);
      if (o.first) finish();
    });
    const timer = setTimeout(finish, o.timeoutMs ?? 3000);
  });
}

/**
 * The base URL to use for a discovered VTN: its local_url when the `.local` name resolves here
 * (Definition.md: a VEN SHOULD favour the hostname, DHCP addresses change), else the same URL on
 * the advertised address (IPv4 first), since not every host resolves `.local` names.
 */
export async function vtnBaseUrl(v: DiscoveredVtn): Promise<{ url: string; via: "hostname" | "address" }> {
  const basePath = v.basePath ?? "openadr3/3.1.0";
  const url = new URL(v.localUrl ?? `http://${v.host}:${v.port}/${basePath}`);
  const resolves = await lookup(url.hostname).then(
    () => true,
    () => false,
  );
  if (resolves) return { url: url.href.replace(/\/$/, ""), via: "hostname" };
  const address = v.addresses.find((a) => !a.includes(":")) ?? v.addresses.find((a) => !a.startsWith("fe80"));
  if (!address) throw new Error(`VTN "${v.name}": ${url.hostname} does not resolve and no address was advertised`);
  url.hostname = address.includes(":") ? `[${address}]` : address;
  return { url: url.href.replace(/\/$/, ""), via: "address" };
}
