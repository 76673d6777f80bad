// `gridlink vtn` stops as a server should: SIGTERM/SIGINT sent to the very process the CLI started
// (no wrapper process between) stops accepting, lets requests in flight finish, lets the notifier
// finish its current batch, closes the store and exits 0 within a few seconds; a second signal
// ends it at once.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVtn } from "@gridlink/vtn";
import { startReceiver, subscription } from "@gridlink/vtn/testing";
import { afterEach, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/gridlink.js", import.meta.url));
/** "Within a few seconds" (the notifier may use up to its 2 s delivery grace). */
const STOP_WITHIN_MS = 5000;

// A test that fails midway leaves no VTN behind, nor its data dir once the VTN is gone.
const started: ChildProcess[] = [];
const vtnPids: number[] = [];
const dataDirs: string[] = [];
afterEach(async () => {
  const children = started.splice(0);
  const pids = vtnPids.splice(0);
  const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  for (const child of children) if (running(child)) child.kill("SIGKILL");
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  await expect.poll(() => children.some(running) || pids.some(alive), { timeout: 5000, interval: 20 }).toBe(false);
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-stop-"));
  dataDirs.push(dir);
  return dir;
}

interface RunningCli {
  child: ChildProcess;
  /** OpenADR 3.1.0 base URL from the start banner. */
  url: string;
  port: number;
  /** The VTN's own process id (from its log lines): the child itself, or a grandchild under npm. */
  vtnPid: number;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Starts `gridlink vtn` on an ephemeral port, by default as `node packages/cli/bin/gridlink.js vtn`. */
async function startCli(
  dataDir: string,
  command = [process.execPath, BIN, "vtn"],
  env: Record<string, string> = {},
): Promise<RunningCli> {
  const flags = ["--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir];
  const child = spawn(command[0], [...command.slice(1), ...flags], {
    cwd: ROOT,
    env: {
      npm_config_update_notifier: "false",
      ...process.env,
      GRIDLINK_MQTT_PORT: "0",
      GRIDLINK_TOKEN_RATE_LIMIT: "0",
      GRIDLINK_WEBHOOK_ALLOW_HTTP: "true",
      GRIDLINK_WEBHOOK_ALLOW_PRIVATE: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start banner within 15 s:\n${err}`)), 15_000);
    child.stderr?.on("data", (c) => {
      err += c;
      // The banner's last line of the URL block: everything before it has been printed.
      const m = /gridlink VTN \(OpenADR 3\.1\.0\) at (\S+)\n[\s\S]*Console:.*\n/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(({ code }) => reject(new Error(`gridlink vtn exited with ${code} before it listened:\n${err}`)));
  });
  // The start's log lines follow the banner (they are held until it is out): wait for the first.
  await expect.poll(() => /"pid":(\d+)/.test(out), { timeout: 5000, interval: 20 }).toBe(true);
  const vtnPid = Number(/"pid":(\d+)/.exec(out)?.[1]);
  vtnPids.push(vtnPid);
  return { child, url, port: Number(new URL(url).port), vtnPid, stdout: () => out, exited };
}

async function blToken(url: string, dataDir: string): Promise<string> {
  const { bl } = JSON.parse(readFileSync(join(dataDir, "demo-credentials.json"), "utf8"));
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: bl.clientId,
    client_secret: bl.clientSecret,
  });
  const res = await fetch(`${url}/auth/token`, { method: "POST", body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function post(url: string, token: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A POST on a keep-alive connection whose body is sent in two halves, so it is in flight between them. */
function halfSentPost(port: number, path: string, token: string, body: unknown) {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const socket: Socket = connect(port, "127.0.0.1");
  let answer = "";
  socket.on("data", (c) => {
    answer += c;
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const headers = [
    `POST ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Connection: keep-alive",
    `Authorization: Bearer ${token}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(text)}`,
  ];
  const sentFirstHalf = new Promise<void>((resolve) =>
    socket.once("connect", () =>
      socket.write(`${headers.join("\r\n")}\r\n\r\n${text.slice(0, half)}`, () => resolve()),
    ),
  );
  return {
    sentFirstHalf,
    finish: () => socket.write(text.slice(half)),
    /** The server closes this keep-alive connection once the answer is sent (it is stopping). */
    closed,
    answer: () => answer,
  };
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("gridlink vtn stops on a signal", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s: the request in flight finishes, its data is in the store, the port closes, exit code 0",
    async (signal) => {
      const dataDir = tempDataDir();
      const cli = await startCli(dataDir);
      const token = await blToken(cli.url, dataDir);
      const before = await post(cli.url, token, "/programs", { programName: "written before the signal" });
      expect(before.status).toBe(201);

      const path = `${new URL(cli.url).pathname}/programs`;
      const inFlight = halfSentPost(cli.port, path, token, { programName: "in flight at the signal" });
      await inFlight.sentFirstHalf;
      await sleep(100); // the VTN has read the headers: the request is in flight
      const signalledAt = Date.now();
      cli.child.kill(signal);
      await sleep(300); // the VTN has begun to stop and waits for this request
      expect(cli.child.exitCode).toBeNull();
      inFlight.finish();
      await inFlight.closed;
      expect(inFlight.answer()).toMatch(/^HTTP\/1\.1 201 /);

      const exit = await cli.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.at - signalledAt).toBeLessThan(STOP_WITHIN_MS);
      expect(cli.stdout()).toContain('"msg":"gridlink VTN stopped"');
      expect(await portIsClosed(cli.port)).toBe(true);

      // The same data dir opened again holds both programs.
      const again = await createVtn({ dataDir, host: "127.0.0.1", port: 0, logLevel: "silent", mqttBroker: "none" });
      try {
        const url = await again.listen();
        const res = await fetch(`${url}/programs`, {
          headers: { authorization: `Bearer ${await blToken(url, dataDir)}` },
        });
        const names = ((await res.json()) as Array<{ programName: string }>).map((p) => p.programName);
        expect(names).toEqual(expect.arrayContaining(["written before the signal", "in flight at the signal"]));
      } finally {
        await again.close();
      }
    },
  );

  // The bin runs the bundle built from the sources (packages/cli/build.mjs), main thread and
  // notifier worker alike; GRIDLINK_TYPESCRIPT=1 runs the sources through tsx. Its start log says which.
  it.each([
    ["the built bundle", {}, "bundle"],
    ["the TypeScript sources (GRIDLINK_TYPESCRIPT=1)", { GRIDLINK_TYPESCRIPT: "1" }, "typescript"],
  ])(
    "%s: SIGTERM while a webhook is in flight: it is delivered before the exit and not sent again after a restart",
    async (_name, env, code) => {
      let arrived: () => void = () => {};
      const inFlight = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const receiver = await startReceiver({
        answer: () => {
          arrived();
          return { delayMs: 800 };
        },
      });
      const dataDir = tempDataDir();
      try {
        const cli = await startCli(dataDir, undefined, env);
        await expect.poll(() => cli.stdout(), { timeout: 5000 }).toContain('"msg":"gridlink VTN listening"');
        expect(cli.stdout()).toContain(`"code":"${code}"`);
        const token = await blToken(cli.url, dataDir);
        expect(
          (await post(cli.url, token, "/subscriptions", subscription(`${receiver.url}/hook`, ["PROGRAM"]))).status,
        ).toBe(201);
        expect((await post(cli.url, token, "/programs", { programName: "heard of by webhook" })).status).toBe(201);
        await inFlight;
        cli.child.kill("SIGTERM");
        const exit = await cli.exited;
        expect(exit.code).toBe(0);
        expect(receiver.received.map((r) => r.body?.object?.programName)).toEqual(["heard of by webhook"]);

        // Had the stop cut the delivery short, the outbox would still hold it and a restart would send it again.
        const again = await createVtn({ dataDir, host: "127.0.0.1", port: 0, logLevel: "silent", mqttBroker: "none" });
        try {
          await again.listen();
          expect(await again.notifier.settled()).toBe(true);
          expect(receiver.received).toHaveLength(1);
        } finally {
          await again.close();
        }
      } finally {
        await receiver.close();
      }
    },
  );

  it("a second signal (a second later) ends a stop that waits for a request at once, with exit code 1", async () => {
    const dataDir = tempDataDir();
    const cli = await startCli(dataDir);
    const token = await blToken(cli.url, dataDir);
    const stuck = halfSentPost(cli.port, `${new URL(cli.url).pathname}/programs`, token, {
      programName: "never finished",
    });
    await stuck.sentFirstHalf;
    await sleep(100);
    cli.child.kill("SIGTERM");
    await sleep(50);
    cli.child.kill("SIGTERM"); // a duplicate (npm forwarding what the terminal sent too): not a second request
    await sleep(1300);
    expect(cli.child.exitCode).toBeNull(); // still waiting for the half-sent request
    const secondAt = Date.now();
    cli.child.kill("SIGTERM");
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - secondAt).toBeLessThan(1000);
    expect(cli.stdout()).toContain("again: exiting without waiting");
  });

  it.each([
    ["npm start", ["npm", "start", "--"]],
    ["npx gridlink vtn", ["npx", "gridlink", "vtn"]],
  ])("%s: SIGTERM sent to npm stops the VTN under it", async (_name, command) => {
    const dataDir = tempDataDir();
    const cli = await startCli(dataDir, command);
    expect(cli.vtnPid).toBeGreaterThan(0);
    const token = await blToken(cli.url, dataDir);
    expect((await post(cli.url, token, "/programs", { programName: "under npm" })).status).toBe(201);
    cli.child.kill("SIGTERM");
    await expect.poll(() => alive(cli.vtnPid), { timeout: STOP_WITHIN_MS, interval: 100 }).toBe(false);
    expect(cli.stdout()).toContain('"msg":"gridlink VTN stopped"');
    expect(await portIsClosed(cli.port)).toBe(true);
  });
});
