// Global setup of the PostgreSQL half of the VTN suite (vitest.postgres.config.ts): a throwaway
// cluster for the run unless GRIDLINK_TEST_PG_URL names one; each test VTN then creates its own
// database on it (src/testing/test-store.ts). At the end the run's databases are dropped.
import { dropTestDatabases, startTestCluster, type TestCluster } from "../../src/testing/index.ts";

export default async function setup(): Promise<() => Promise<void>> {
  let cluster: TestCluster | undefined;
  if (!process.env.GRIDLINK_TEST_PG_URL) {
    cluster = await startTestCluster();
    process.env.GRIDLINK_TEST_PG_URL = cluster.url;
  }
  const prefix = `gridlink_test_${process.pid}`;
  process.env.GRIDLINK_TEST_PG_PREFIX = prefix;
  process.env.GRIDLINK_TEST_STORE = "postgres";
  return async () => {
    try {
      if (!cluster) await dropTestDatabases(prefix);
    } finally {
      cluster?.stop();
    }
  };
}
