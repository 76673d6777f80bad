// mDNS/DNS-SD for the CLI (docs/discovery.md): `gridlink vtn` advertises itself as
// `_openadr3._tcp` (Definition.md §Discovery and Configuration of Local VTNs); `gridlink discover`
// and `gridlink ven --discover` browse for it.
import { type DiscoveredVtn, discoverVtns, vtnBaseUrl } from "@gridlink/ven";
import { type Advertisement, advertiseVtn, isLoopbackHost, type Vtn } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export type { Advertisement };

export const DISCOVER_USAGE = `gridlink discover [--timeout 3] [--json]   (lists the VTNs advertised by mDNS on the local network)`;

type MdnsMode = "auto" | "on" | "off";

/** --mdns-port / GRIDLINK_MDNS_PORT: another UDP port than 5353, so that tests keep to themselves. */
function mdnsPort(args: Args): number | undefined {
  const raw = flag(args, "mdns-port") ?? process.env.GRIDLINK_MDNS_PORT;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--mdns-port must be a UDP port, got "${raw}"`);
  return n;
}

export interface MdnsChoice {
  advertise: boolean;
  /** Why not, for the banner. */
  why?: string;
  name?: string;
  port?: number;
}

/**
 * Whether to advertise, as --mdns (or GRIDLINK_MDNS) says, decided before the VTN starts: "auto"
 * (the default) advertises when the VTN listens on a network address, since a loopback-only VTN
 * is out of reach of the addresses the A/AAAA records carry; "on" insists (and refuses a loopback
 * host), "off" never advertises.
 */
export function mdnsChoice(args: Args, host: string): MdnsChoice {
  const mode = (flag(args, "mdns") ?? process.env.GRIDLINK_MDNS ?? "auto") as MdnsMode;
  if (!["auto", "on", "off"].includes(mode)) throw new UsageError(`--mdns must be auto, on or off, got "${mode}"`);
  if (mode === "on" && isLoopbackHost(host))
    throw new UsageError(
      `--mdns on needs the VTN on a network address (--host 0.0.0.0 or the LAN address), not ${host}`,
    );
  const advertise = mode === "on" || (mode === "auto" && !isLoopbackHost(host));
  const why =
    mode === "off" ? "--mdns off" : `the VTN listens on ${host} only; --host 0.0.0.0 advertises it (docs/discovery.md)`;
  return {
    advertise,
    why: advertise ? undefined : why,
    name: flag(args, "mdns-name") ?? process.env.GRIDLINK_MDNS_NAME,
    port: mdnsPort(args),
  };
}

export async function startAdvertisement(
  choice: MdnsChoice,
  vtn: Vtn,
  url: string,
): Promise<Advertisement | undefined> {
  if (!choice.advertise) return undefined;
  const u = new URL(url);
  return advertiseVtn({
    core: vtn.core,
    port: Number(u.port),
    scheme: u.protocol === "https:" ? "https" : "http",
    name: choice.name,
    mdnsPort: choice.port,
    onError: (err) => vtn.app.log.warn({ err: err.message }, "mDNS advertisement"),
  });
}

function timeoutMs(args: Args): number {
  const s = Number(flag(args, "timeout") ?? 3);
  if (!(s > 0)) throw new UsageError("--timeout must be a positive number of seconds");
  return s * 1000;
}

/** `gridlink ven --discover`: the first VTN that answers, and the base URL to use for it. */
export async function discoverOne(args: Args): Promise<{ vtn: DiscoveredVtn; url: string; via: string }> {
  const [vtn] = await discoverVtns({
    first: true,
    timeoutMs: timeoutMs(args),
    version: "3.",
    mdnsPort: mdnsPort(args),
  });
  if (!vtn)
    throw new Error(
      `no VTN answered an mDNS query for _openadr3._tcp within ${timeoutMs(args) / 1000} s (is it started with --mdns on, on this network?)`,
    );
  const { url, via } = await vtnBaseUrl(vtn);
  return { vtn, url, via };
}

export async function runDiscover(args: Args): Promise<void> {
  const found = await discoverVtns({ timeoutMs: timeoutMs(args), mdnsPort: mdnsPort(args) });
  if (args.flags.json) {
    process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    return;
  }
  if (found.length === 0) process.stdout.write("no VTN advertised _openadr3._tcp on this network\n");
  for (const v of found)
    process.stdout.write(
      `${v.name}  ${v.localUrl ?? `${v.host}:${v.port}`}  version ${v.version ?? "?"}  addresses ${v.addresses.join(", ")}  programs ${v.programNames.join(",") || "-"}  auth ${v.requiresAuth === false ? "no" : "yes"}\n`,
    );
}
