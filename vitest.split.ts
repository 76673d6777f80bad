// How both halves of `npm test` run their files: most of the suite waits on child processes,
// sockets and timers rather than computing, so three files run at once even on 2 cores; the
// files named `*.timing.test.ts` assert on elapsed time (a slow receiver must not hold up the
// fast ones, a limit must close a socket within so long, ...) and run one at a time after the
// rest, so that nothing else shares the machine with them. A test that asserts on elapsed time
// belongs in a `*.timing.test.ts` file. The parallel part keeps its worker processes and their
// loaded modules from file to file (`isolate: false`): loading Fastify, Kysely, pg, MQTT and the
// XML libraries again in a fresh fork for every file took 490 s of the SQLite half's 868 s on a
// loaded 2-core machine, so a test leaves no module-level state behind (README, "npm test").
import type { TestProjectInlineConfiguration } from "vitest/config";

export const TIMING = "**/*.timing.test.ts";

/** Two projects over `include`: everything but the timing files, three at a time, then the
 * timing files alone. Both inherit the root config (`extends: true`). */
export function parallelThenTiming(include: string[], prefix = ""): TestProjectInlineConfiguration[] {
  return [
    {
      extends: true,
      test: { name: `${prefix}parallel`, include, exclude: [TIMING], maxWorkers: 3, isolate: false, sequence: { groupOrder: 0 } },
    },
    {
      extends: true,
      test: { name: `${prefix}timing`, include: timingOnly(include), maxWorkers: 1, sequence: { groupOrder: 1 } },
    },
  ];
}

// "dir/**/*.test.ts" -> "dir/**/*.timing.test.ts"; other patterns (*.pg-test.ts) hold none.
function timingOnly(include: string[]): string[] {
  return include.filter((p) => p.endsWith("/*.test.ts")).map((p) => p.replace(/\*\.test\.ts$/, "*.timing.test.ts"));
}
