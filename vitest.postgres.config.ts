// The PostgreSQL half of `npm test`: the VTN suite (packages/vtn/test) a second time, each test
// VTN on a fresh PostgreSQL database (GRIDLINK_TEST_STORE=postgres). Without PostgreSQL on the
// machine this half is not run and says so, with how to run it; CI sets
// GRIDLINK_REQUIRE_POSTGRES=1, so that there a missing PostgreSQL fails the run.
import { defineConfig } from "vitest/config";
import { POSTGRES_HOWTO, postgresBinDir } from "./packages/vtn/src/testing/postgres-cluster.ts";

const available = Boolean(process.env.GRIDLINK_TEST_PG_URL) || postgresBinDir() !== undefined;
const notRun = `\n*** The PostgreSQL half of the VTN suite was NOT run: PostgreSQL is not installed here.\n*** To run it: ${POSTGRES_HOWTO}.\n`;
if (!available && process.env.GRIDLINK_REQUIRE_POSTGRES === "1")
  throw new Error(`GRIDLINK_REQUIRE_POSTGRES=1 but PostgreSQL is not available: ${POSTGRES_HOWTO}`);

export default defineConfig({
  test: {
    name: "postgres",
    // *.pg-test.ts: tests of PostgreSQL only (several instances on one database).
    include: available ? ["packages/vtn/test/**/*.test.ts", "packages/vtn/test/**/*.pg-test.ts"] : [],
    passWithNoTests: !available,
    globalSetup: available ? ["packages/vtn/test/setup/postgres.ts"] : [],
    env: { GRIDLINK_TEST_STORE: "postgres" },
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
    reporters: available
      ? ["default"]
      : [
          "default",
          {
            onTestRunEnd() {
              process.stdout.write(notRun);
            },
          },
        ],
  },
});
