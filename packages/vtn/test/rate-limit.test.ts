// The rate limiter's memory is bounded without forgetting everyone at once: when its key map is
// full, only the least recently counted keys go, and a client that keeps asking keeps its count.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../src/bindings/oadr3/rate-limit.ts";

describe("the rate limiter", () => {
  it("a full key map does not reset a busy client's counter", () => {
    const limiter = new RateLimiter(1, 60_000);
    const now = 1_000_000;
    expect(limiter.take("busy", now)).toBe(true);
    expect(limiter.take("busy", now)).toBe(false);
    // Many other keys fill the map; the busy client keeps asking in between.
    for (let i = 0; i < 150_000; i++) {
      limiter.take(`other-${i}`, now);
      if (i % 10_000 === 0) expect(limiter.take("busy", now)).toBe(false);
    }
    expect(limiter.take("busy", now)).toBe(false);
    // The first of the others, idle since, was forgotten: it counts afresh.
    expect(limiter.take("other-0", now)).toBe(true);
  });
});
