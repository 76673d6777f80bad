import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // A guard against hangs, not a speed check (speed is measured in bench/): with three files at
    // once on 2 cores, a test that starts the CLI or kills and restarts a VTN three times can pass
    // 20 s, as durability.test.ts and clients.test.ts did in a clean-clone CI run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one file at a time on a 2-core CI
    // machine, though most tests wait on child processes, sockets and timers rather than compute.
    // Three files at once took the SQLite half from 824 s to 555 s here.
    maxWorkers: 3,
  },
});
