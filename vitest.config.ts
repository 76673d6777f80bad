import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one file at a time on a 2-core CI
    // machine, though most tests wait on child processes, sockets and timers rather than compute.
    // Three files at once took the SQLite half from 824 s to 555 s here, every test passing.
    maxWorkers: 3,
  },
});
