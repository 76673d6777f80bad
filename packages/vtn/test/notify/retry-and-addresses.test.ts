// Retry timing (exponential backoff with jitter, Retry-After, dead letter after N) and the address
// policy against SSRF (notify/backoff.ts, notify/address-guard.ts; Definition.md §Webhooks).
import { describe, expect, it } from "vitest";
import { CallbackRefused, checkLiteral, checkScheme, isPrivateAddress } from "../../src/notify/address-guard.ts";
import { isDead, parseRetryAfter, retryDelay } from "../../src/notify/backoff.ts";

const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 10_000 };

describe("retry delays", () => {
  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [4, 4000, 8000],
    [5, 5000, 10_000],
    [9, 5000, 10_000],
  ])("after %i failures: between %i and %i ms", (failures, lo, hi) => {
    expect(retryDelay(policy, failures, () => 0)).toBe(lo);
    expect(retryDelay(policy, failures, () => 0.999_999)).toBeLessThanOrEqual(hi);
    expect(retryDelay(policy, failures, () => 0.999_999)).toBeGreaterThan(hi - 2);
  });

  it("jitter spreads receivers that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelay(policy, 3)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it("honours a longer Retry-After, up to the maximum", () => {
    expect(retryDelay(policy, 1, () => 0, 3000)).toBe(3000);
    expect(retryDelay(policy, 1, () => 0, 60_000)).toBe(10_000);
    expect(retryDelay(policy, 3, () => 0, 10)).toBe(2000);
    expect(parseRetryAfter("7")).toBe(7000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it("a delivery is dead after maxAttempts failures", () => {
    expect(isDead(policy, 4)).toBe(false);
    expect(isDead(policy, 5)).toBe(true);
  });
});

describe("callback address policy", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
  ])("%s is private or reserved", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])("%s is public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it("https is required unless plain http is allowed; other schemes never", () => {
    const strict = { allowHttp: false, allowPrivate: false };
    expect(checkScheme("https://ven.example/cb", strict).host).toBe("ven.example");
    expect(() => checkScheme("http://ven.example/cb", strict)).toThrow(/must use https/);
    expect(checkScheme("http://ven.example/cb", { ...strict, allowHttp: true }).protocol).toBe("http:");
    expect(() => checkScheme("ftp://ven.example/cb", { ...strict, allowHttp: true })).toThrow(CallbackRefused);
    expect(() => checkScheme("not a url", strict)).toThrow(/not an absolute URL/);
  });

  it("IP-literal hosts are checked without DNS", () => {
    const strict = { allowHttp: false, allowPrivate: false };
    expect(() => checkLiteral(new URL("https://[::1]:8443/cb"), strict)).toThrow(/private or reserved/);
    expect(() => checkLiteral(new URL("https://10.0.0.7/cb"), strict)).toThrow(/private or reserved/);
    expect(() => checkLiteral(new URL("https://10.0.0.7/cb"), { ...strict, allowPrivate: true })).not.toThrow();
    expect(() => checkLiteral(new URL("https://8.8.8.8/cb"), strict)).not.toThrow();
  });
});
