// What listen() starts and close() ends, seen from a VTN process of its own (this suite shares
// modules between test files, so another test may have compiled the validators here already):
// - the request bodies' validators are compiled once listening, in the background, rather than
//   by the first write of each kind (which paid for compiling its schema);
// - once close() resolves nothing of the VTN holds the event loop: a program that embeds it
//   exits then (the notifier's stop left a 5 s timer running, which held it that long).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUEST_SCHEMAS } from "../src/core/context.ts";

const CHILD = fileURLToPath(new URL("./fixtures/listen-and-close.ts", import.meta.url));

describe("listen and close, in a process of its own", () => {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-listen-"));
  let seen: { before: string[]; after: string[]; holding: string[] };
  beforeAll(() => {
    const out = execFileSync(process.execPath, ["--import", "tsx", CHILD, dir], { encoding: "utf8", timeout: 30_000 });
    seen = JSON.parse(out.trim().split("\n").pop() as string);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("compiles every request schema core checks once listening, without a request", () => {
    expect(seen.before).toEqual([]);
    expect(seen.after).toEqual([...REQUEST_SCHEMAS]);
  });

  it("leaves nothing holding the event loop once close() resolved", () => {
    // PipeWrap: the child's own stdout and stderr, piped to this test.
    expect(seen.holding.filter((r) => r !== "PipeWrap")).toEqual([]);
  });
});
