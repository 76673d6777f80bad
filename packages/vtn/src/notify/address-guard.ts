// Callback URL policy against SSRF (Definition.md §Webhooks: HTTPS required; "Check for private
// IPs and reserved IPs", including names that resolve to them). The check runs when a
// subscription is written and again at every connection (a DNS answer may change in between).
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * IPv6 forms that carry an IPv4 address a translator or tunnel may deliver to (RFC 4291 §2.5.5
 * IPv4-compatible and -mapped, RFC 6145 IPv4-translated, RFC 6052/8215 NAT64, RFC 3056 6to4,
 * RFC 4380 Teredo server and client): each embedded IPv4 address must be public as well.
 */
function embeddedIpv4(bytes: number[]): number[][] {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const tail = bytes.slice(12, 16);
  const out: number[][] = [];
  if (zero(0, 12)) out.push(tail); // ::a.b.c.d (compatible)
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) out.push(tail); // ::ffff:a.b.c.d
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) out.push(tail); // ::ffff:0:a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) out.push(tail); // 64:ff9b::/96, 64:ff9b:1::/48
  if (bytes[0] === 0x20 && bytes[1] === 0x02) out.push(bytes.slice(2, 6)); // 2002::/16
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0 && bytes[3] === 0) {
    out.push(bytes.slice(4, 8)); // Teredo server
    out.push(tail.map((b) => b ^ 0xff)); // Teredo client, obfuscated
  }
  return out;
}

const EMBEDDING_RANGES = new Set(["ipv4Mapped", "rfc6145", "rfc6052", "6to4", "teredo"]);

/**
 * Whether an IP address is anything but public unicast: loopback, private, link-local, shared,
 * reserved, documentation, benchmarking, multicast (ipaddr.js keeps the IANA special-purpose
 * registries), or an IPv6 form embedding such an IPv4 address.
 */
export function isPrivateAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return true;
  const addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv4") return addr.range() !== "unicast";
  const v6 = addr as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  const embedded = embeddedIpv4(bytes);
  if (embedded.some((b) => new ipaddr.IPv4(b).range() !== "unicast")) return true;
  const range = v6.range();
  if (range === "unicast") return false;
  // A mapped or translated address of a public IPv4 host is as public as that host.
  return !(EMBEDDING_RANGES.has(range) && embedded.length > 0);
}

export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

export class CallbackRefused extends Error {}

/** The parsed URL if its scheme is acceptable; throws CallbackRefused naming the problem. */
export function checkScheme(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackRefused(`${raw} is not an absolute URL`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:") {
    if (policy.allowHttp) return url;
    throw new CallbackRefused(
      `${raw} must use https (plain http is allowed only with webhookAllowHttp, for development)`,
    );
  }
  throw new CallbackRefused(`${raw} must be an https URL`);
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/** Resolves the URL's host and refuses private addresses unless allowed. */
export async function checkAddress(url: URL, policy: UrlPolicy): Promise<void> {
  if (policy.allowPrivate) return;
  const host = hostOf(url);
  const addrs: string[] = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (err, list) =>
          err
            ? reject(new CallbackRefused(`${url.href}: cannot resolve ${host} (${err.code ?? err.message})`))
            : resolve(list.map((a) => a.address)),
        ),
      );
  const bad = addrs.find(isPrivateAddress);
  if (bad)
    throw new CallbackRefused(
      `${url.href} resolves to ${bad}, a private or reserved address (allowed only with webhookAllowPrivate)`,
    );
}

/** A dns lookup for sockets that fails on private addresses unless allowed (against DNS rebinding). */
export function guardedLookup(policy: UrlPolicy): LookupFunction | undefined {
  if (policy.allowPrivate) return undefined;
  return ((
    hostname: string,
    options: LookupAllOptions,
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err, []);
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad)
        return callback(
          new CallbackRefused(`${hostname} resolves to ${bad.address}, a private or reserved address`),
          [],
        );
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  }) as unknown as LookupFunction;
}

/** For IP-literal hosts (no lookup happens): refuse private ones unless allowed. */
export function checkLiteral(url: URL, policy: UrlPolicy): void {
  if (policy.allowPrivate) return;
  const host = hostOf(url);
  if (isIP(host) && isPrivateAddress(host))
    throw new CallbackRefused(`${url.href}: ${host} is a private or reserved address`);
}
