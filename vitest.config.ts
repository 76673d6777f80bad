import { defineConfig } from "vitest/config";
import { parallelThenTiming } from "./vitest.split.ts";

export default defineConfig({
  test: {
    // A guard against a hang, not a speed check: with three files at once, a test that starts the
    // CLI three times or kills and restarts a VTN takes 20-45 s on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: parallelThenTiming([
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "test/**/*.test.ts",
    ]),
  },
});
