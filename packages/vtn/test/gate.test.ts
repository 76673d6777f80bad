// gate.ts: list answers hold bytes, not places; past the total or a client's share an answer
// waits, a client at its share does not keep others out, and a released hold lets the next in.
import { describe, expect, it } from "vitest";
import { ByteGate, type Hold } from "../src/gate.ts";

const turn = () => new Promise((r) => setImmediate(r));

describe("ByteGate", () => {
  it("admits answers while their bytes fit the total and the client's share, the rest in order", async () => {
    const gate = new ByteGate(400, 200);
    const admitted: string[] = [];
    const holds = new Map<string, Hold>();
    const ask = (name: string, client: string, bytes: number) =>
      gate.admit(client, bytes).then((h) => {
        admitted.push(name);
        holds.set(name, h);
      });
    for (const [name, client] of [
      ["a1", "a"],
      ["a2", "a"],
      ["a3", "a"],
      ["b1", "b"],
      ["b2", "b"],
      ["c1", "c"],
    ])
      void ask(name, client, 100);
    await turn();
    // a is at its share (200) after two; b is let in past a3; the total (400) keeps c1 out.
    expect(admitted).toEqual(["a1", "a2", "b1", "b2"]);
    expect(gate.load("a")).toEqual({ held: 400, heldByClient: 200, waiting: 2 });

    // An answer smaller than admitted frees the rest of its hold.
    holds.get("b1")?.resize(10);
    await turn();
    expect(admitted).toEqual(["a1", "a2", "b1", "b2"]); // 310 + 100 > 400
    holds.get("b2")?.release();
    await turn();
    expect(admitted).toEqual(["a1", "a2", "b1", "b2", "c1"]);
    expect(gate.load("b")).toEqual({ held: 310, heldByClient: 10, waiting: 1 });

    holds.get("a1")?.release();
    holds.get("a1")?.release(); // twice is once
    await turn();
    expect(admitted.at(-1)).toBe("a3");
    for (const h of holds.values()) h.release();
    expect(gate.load("a")).toEqual({ held: 0, heldByClient: 0, waiting: 0 });
  });

  it("lets an answer larger than the total in when nothing else is held", async () => {
    const gate = new ByteGate(100, 50);
    const big = await gate.admit("a", 1000);
    expect(gate.load("a").held).toBe(1000);
    let second = false;
    void gate.admit("b", 10).then(() => {
      second = true;
    });
    await turn();
    expect(second).toBe(false);
    big.release();
    await turn();
    expect(second).toBe(true);
  });
});
