// A VTN in a child process on a given data dir, for tests that kill it (kill -9) and start it
// again on the same data to see what survived.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { DemoCredentials, VtnConfig } from "../index.ts";
import { testStoreConfig } from "./test-store.ts";

const MAIN = fileURLToPath(new URL("./vtn-main.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
// Generous: on a loaded machine (several test runs at once) tsx alone takes tens of seconds.
const START_MS = 60_000;

export interface VtnProcess {
  /** OpenADR 3.1.0 base URL. */
  url: string;
  /** Demo credentials when this start created them (first start of an empty data dir). */
  demo: DemoCredentials | null;
  child: ChildProcess;
  /** SIGKILL: the VTN gets no chance to finish anything; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the VTN closes in order; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a VTN with the test defaults plus `config` in a child process on `dataDir` (and on the
 * test run's store: the same PostgreSQL database each time for one data dir).
 */
export async function startVtnProcess(dataDir: string, config: Partial<VtnConfig> = {}): Promise<VtnProcess> {
  const settings = { ...(await testStoreConfig(dataDir)), ...config };
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, dataDir, JSON.stringify(settings)], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return gone;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`VTN process did not start in ${START_MS} ms: ${stderr}`));
    }, START_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`VTN process exited with ${code} before it listened: ${stderr}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (line) => {
      clearTimeout(timer);
      const { url, demo } = JSON.parse(line) as { url: string; demo: DemoCredentials | null };
      resolve({ url, demo, child, kill: signal("SIGKILL"), stop: signal("SIGTERM") });
    });
  });
}
