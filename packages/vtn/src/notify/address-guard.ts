// Callback URL policy against SSRF (Definition.md §Webhooks: HTTPS required; "Check for private
// IPs and reserved IPs", including names that resolve to them). The check runs when a
// subscription is written and again at every connection (a DNS answer may change in between).
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, bits, "ipv6");

/** Whether an IP address is loopback, private, link-local, reserved or multicast. */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) return blocked.check(ip, "ipv4");
  if (v !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1], "ipv4");
  return blocked.check(ip, "ipv6");
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
