// The time-ordered ids of objects and outbox rows (ids.ts; RFC 9562 §5.7, §6.2).
import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../src/ids.ts";

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);

describe("time-ordered ids (UUIDv7)", () => {
  it("are UUIDs of version 7 and variant 10, carrying the given millisecond", () => {
    // Later than any id this process made before (other files may share the worker), so the
    // generator takes this millisecond as it is rather than going on from its last one.
    const now = Date.now() + 3_600_000;
    const id = timeOrderedId(now);
    expect(id).toMatch(UUID7);
    expect(msOf(id)).toBeGreaterThanOrEqual(now);
    expect(msOf(id)).toBeLessThan(now + 5);
  });

  it("sort in the order they were made, within one millisecond and across several, and never repeat", () => {
    const ids: string[] = [];
    const start = Date.now() + 7_200_000;
    // 10,000 ids in the same millisecond: more than the 12-bit counter holds, so it borrows the next ones.
    for (let i = 0; i < 10_000; i++) ids.push(timeOrderedId(start));
    for (let i = 0; i < 1_000; i++) ids.push(timeOrderedId(start + 100 + Math.floor(i / 10)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => UUID7.test(id))).toBe(true);
    expect(msOf(ids[9_999]) - start).toBeGreaterThanOrEqual(2);
  });

  it("a clock gone back keeps the order (the last millisecond goes on)", () => {
    const a = timeOrderedId(Date.now() + 10_800_000);
    const b = timeOrderedId(Date.now());
    expect(b > a).toBe(true);
  });
});
