// gate.ts: at most `limit` at once, the rest in order, and a failure frees its place.
import { describe, expect, it } from "vitest";
import { Gate } from "../src/gate.ts";

describe("Gate", () => {
  it("runs at most `limit` at once, the others in the order they came, and frees a failed one's place", async () => {
    const gate = new Gate(2);
    const started: number[] = [];
    const release: Array<() => void> = [];
    const job = (n: number, fail = false) =>
      gate.run(async () => {
        started.push(n);
        await new Promise<void>((r) => release.push(r));
        if (fail) throw new Error(`job ${n}`);
        return n;
      });
    const results = [job(1, true), job(2), job(3), job(4)];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2]);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    release[0]();
    await expect(results[0]).rejects.toThrow("job 1");
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    release[1]();
    release[2]();
    await new Promise((r) => setImmediate(r));
    release[3]();
    expect(await Promise.all(results.slice(1))).toEqual([2, 3, 4]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});
