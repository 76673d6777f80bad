// The PostgreSQL half of `npm test`: the VTN suite (packages/vtn/test) a second time, each test
// VTN on a fresh PostgreSQL database (GRIDLINK_TEST_STORE=postgres). Without PostgreSQL on the
// machine this half is not run and says so, with how to run it; CI sets
// GRIDLINK_REQUIRE_POSTGRES=1, so that there a missing PostgreSQL fails the run.
import { defineConfig } from "vitest/config";
import { POSTGRES_HOWTO, postgresBinDir } from "./packages/vtn/src/testing/postgres-cluster.ts";
import { parallelThenTiming } from "./vitest.split.ts";

const available = Boolean(process.env.GRIDLINK_TEST_PG_URL) || postgresBinDir() !== undefined;
const notRun = `\n*** The PostgreSQL half of the VTN suite was NOT run: PostgreSQL is not installed here.\n*** To run it: ${POSTGRES_HOWTO}.\n`;
if (!available && process.env.GRIDLINK_REQUIRE_POSTGRES === "1")
  throw new Error(`GRIDLINK_REQUIRE_POSTGRES=1 but PostgreSQL is not available: ${POSTGRES_HOWTO}`);

export default defineConfig({
  test: {
    // *.pg-test.ts: tests of PostgreSQL only (several instances on one database).
    projects: available
      ? parallelThenTiming(["packages/vtn/test/**/*.test.ts", "packages/vtn/test/**/*.pg-test.ts"], "postgres-")
      : [{ extends: true, test: { name: "postgres", include: [] } }],
    passWithNoTests: !available,
    globalSetup: available ? ["packages/vtn/test/setup/postgres.ts"] : [],
    env: { GRIDLINK_TEST_STORE: "postgres" },
    testTimeout: 60_000, // as vitest.config.ts
    hookTimeout: 60_000,
    pool: "forks",
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
