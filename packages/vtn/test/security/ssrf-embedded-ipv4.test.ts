// Hole 8 of issue 15 (SSRF): IPv6 spellings that embed a reserved IPv4 address, and reserved
// ranges, must be refused as callback hosts (Definition.md §Webhooks "Check for private IPs and
// reserved IPs"); public hosts behind the same forms stay allowed.
import { describe, expect, it } from "vitest";
import { checkLiteral, isPrivateAddress } from "../../src/notify/address-guard.ts";

describe("callback addresses that embed an IPv4 address", () => {
  it.each([
    "::127.0.0.1", // IPv4-compatible (the spelling the attack got through)
    "::7f00:1",
    "::ffff:7f00:1", // IPv4-mapped, hex
    "::ffff:0:127.0.0.1", // IPv4-translated (RFC 6145)
    "64:ff9b::10.0.0.1", // NAT64 (RFC 6052)
    "64:ff9b:1::a9fe:a9fe", // local-use NAT64 (RFC 8215) of 169.254.169.254
    "2002:c0a8:0101::1", // 6to4 of 192.168.1.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo client 127.0.0.1
    "192.88.99.1", // 6to4 relay anycast
    "198.18.0.1", // benchmarking
    "255.255.255.255",
    "fec0::1", // site-local
    "2001:db8::1",
    "100::1",
  ])("%s is refused", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
    expect(() =>
      checkLiteral(new URL(`https://${ip.includes(":") ? `[${ip}]` : ip}:8443/`), {
        allowHttp: false,
        allowPrivate: false,
      }),
    ).toThrow(/private or reserved/);
  });

  it.each(["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1", "2606:4700::1111"])("%s is public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});
