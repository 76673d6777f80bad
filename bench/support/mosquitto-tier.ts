// A tier of Debian Mosquitto brokers on loopback for the MQTT benchmark at more subscribers than
// one process may hold sockets here (`ulimit -Hn` is 20,000 in this sandbox, and a broker holds
// one per subscriber). The VTN publishes to one root broker; each leaf broker holds the subscribers
// of one group the caller gives (bench/notify-mqtt.ts: 15,000 each) and is bridged to the root with one `topic ... in 1` line per VEN topic it
// serves, so the root sends each message once, to the one leaf whose subscriber wants it: what a
// clustered broker does inside one process on a machine that allows more sockets.
// No authentication or ACL in the tier (loopback only): the VTN's publishes are the same either way,
// and the ceiling measured on this tier pays for the same brokers.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@gridlink/vtn/testing";
import mqtt from "mqtt";

const MOSQUITTO = "/usr/sbin/mosquitto";

export interface MosquittoTier {
  /** Where the VTN (or the ceiling's publisher) publishes. */
  root: string;
  /** leaves[k] serves the VEN topics of group k. */
  leaves: string[];
  /** The brokers' process ids (root first), e.g. to lower their priority. */
  pids: number[];
  stop(): Promise<void>;
}

function startBroker(dir: string, name: string, lines: string[]): ChildProcess {
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, `${lines.join("\n")}\n`, { mode: 0o644 });
  const child = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "inherit"] });
  child.once("error", (err) => {
    throw new Error(`could not start ${MOSQUITTO} (apt-get install mosquitto): ${err.message}`);
  });
  return child;
}

const common = (port: number) => [
  `listener ${port} 127.0.0.1`,
  "allow_anonymous true",
  "persistence false",
  "log_dest stderr",
  "log_type error",
  // No queue limit: a leaf's bridge receives a whole fan-out at once, and Mosquitto drops QoS 1
  // messages past a client's queue (default 1,000).
  "max_queued_messages 0",
  "max_inflight_messages 0",
];

/**
 * Starts the root and one leaf per group of `topics` (each group at most the sockets a broker may
 * hold), and resolves once a message published on the root reaches every leaf.
 */
export async function startMosquittoTier(groups: string[][]): Promise<MosquittoTier> {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-bench-mosquitto-"));
  const brokers: ChildProcess[] = [];
  const rootPort = await freePort();
  brokers.push(startBroker(dir, "root", common(rootPort)));
  const leafPorts: number[] = [];
  for (const [k, topics] of groups.entries()) {
    const port = await freePort();
    leafPorts.push(port);
    brokers.push(
      startBroker(dir, `leaf-${k}`, [
        ...common(port),
        `connection leaf-${k}`,
        `address 127.0.0.1:${rootPort}`,
        "bridge_protocol_version mqttv311",
        "cleansession true",
        "try_private false",
        "notifications false",
        "start_type automatic",
        "restart_timeout 1",
        `topic bench/ready/${k} in 1`,
        ...topics.map((t) => `topic ${t} in 1`),
      ]),
    );
  }
  const root = `mqtt://127.0.0.1:${rootPort}`;
  const leaves = leafPorts.map((p) => `mqtt://127.0.0.1:${p}`);
  const stop = async () => {
    await Promise.all(
      brokers.map(async (b) => {
        if (b.exitCode !== null) return;
        const exited = new Promise((r) => b.once("exit", r));
        b.kill("SIGTERM");
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await bridged(root, leaves);
  } catch (err) {
    await stop();
    throw err;
  }
  return { root, leaves, pids: brokers.flatMap((b) => (b.pid ? [b.pid] : [])), stop };
}

const connect = async (url: string, deadline: number) => {
  for (;;) {
    try {
      return await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2000 });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`broker ${url} did not accept a connection: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

/** Resolves once each leaf receives what is published on the root (its bridge subscribed). */
async function bridged(root: string, leaves: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  const pub = await connect(root, deadline);
  try {
    await Promise.all(
      leaves.map(async (url, k) => {
        const sub = await connect(url, deadline);
        let got = false;
        sub.on("message", () => {
          got = true;
        });
        await sub.subscribeAsync(`bench/ready/${k}`, { qos: 1 });
        while (!got) {
          if (Date.now() > deadline) throw new Error(`leaf ${k} (${url}) is not bridged to the root`);
          await pub.publishAsync(`bench/ready/${k}`, "ready", { qos: 1 });
          await new Promise((r) => setTimeout(r, 100));
        }
        await sub.endAsync(true);
      }),
    );
  } finally {
    await pub.endAsync(true);
  }
}
