// The MQTT notifier with an external broker: Debian's Mosquitto, started here on a free port with
// a temporary config, the password file and the ACL that gridlink generates
// (notify/mosquitto-acl.ts). The VTN publishes through the outbox as an MQTT client; a VEN
// receives its events and nothing from another VEN's topics, even when it subscribes to them.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventBody, freePort, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mosquittoAcl } from "../../src/notify/mosquitto-acl.ts";

const MOSQUITTO = existsSync("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

const grants = (c: MqttClient, topic: string) =>
  c.subscribeAsync(topic, { qos: 1 }).then(
    (g) => g[0].qos,
    (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0] ?? Promise.reject(err),
  );

describe("MQTT notifications through Mosquitto", () => {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-mosquitto-"));
  let broker: ChildProcess;
  let port: number;
  let t: TestVtn;
  const secrets = { vtn: "vtn-secret", bl: "bl-secret", a: "a-secret", b: "b-secret" };
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    port = await freePort();
    t = await startTestVtn({
      mqttBroker: "external",
      mqttUrl: `mqtt://gridlink-vtn:${secrets.vtn}@127.0.0.1:${port}`,
      mqttPublicUrls: `mqtt://127.0.0.1:${port}`,
      webhookRetryBaseMs: 50,
      webhookRetryMaxMs: 200,
    });
    // Mosquitto started as root drops to its own user: the files must be readable to it.
    chmodSync(dir, 0o755);
    const passwd = join(dir, "passwd");
    writeFileSync(passwd, "", { mode: 0o644 });
    for (const [user, pw] of [
      ["gridlink-vtn", secrets.vtn],
      [t.bl.clientId, secrets.bl],
      [t.vens[0].clientId, secrets.a],
      [t.vens[1].clientId, secrets.b],
    ])
      execFileSync("mosquitto_passwd", ["-b", passwd, user, pw]);
    chmodSync(passwd, 0o644);
    writeFileSync(join(dir, "acl"), await t.vtn.notifier.mosquittoAcl("gridlink-vtn"), {
      mode: 0o644,
    });
    writeFileSync(
      join(dir, "mosquitto.conf"),
      [
        `listener ${port} 127.0.0.1`,
        "allow_anonymous false",
        `password_file ${passwd}`,
        `acl_file ${join(dir, "acl")}`,
        "persistence false",
        "log_dest stderr",
        "log_type error",
      ].join("\n"),
    );
    broker = spawn(MOSQUITTO, ["-c", join(dir, "mosquitto.conf")], { stdio: ["ignore", "ignore", "inherit"] });
    // The broker is up once the BL can log in (expect.poll is for tests; vi.waitFor works here).
    await vi.waitFor(
      async () => {
        const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
          username: t.bl.clientId,
          password: secrets.bl,
          reconnectPeriod: 0,
        });
        await c.endAsync(true);
      },
      { interval: 20, timeout: 8_000 },
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t.close();
    broker?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("GET /notifiers advertises the external broker", async () => {
    const r = await t.call(await t.token(t.vens[0]), "GET", "/notifiers");
    expect(r.body.MQTT.URIS).toEqual([`mqtt://127.0.0.1:${port}`]);
  });

  it("the generated ACL lets a VEN read only its own ven's topics", () => {
    const acl = mosquittoAcl({
      publisher: "p",
      readers: ["bl-1"],
      venReaders: [{ clientId: "c1", prefixes: ["events/vens/v1", "programs/vens/v1"] }],
    });
    expect(acl).toContain("user p\ntopic write #");
    expect(acl).toContain("user bl-1\ntopic read #");
    expect(acl).toContain("user c1\ntopic read events/vens/v1/#\ntopic read programs/vens/v1/#");
    expect(acl).not.toMatch(/user c1[\s\S]*topic read #\n/);
  });

  it("a VEN receives its events over Mosquitto, and nothing of another VEN's topics", async () => {
    const url = `mqtt://127.0.0.1:${port}`;
    const [a, b] = [t.vens[0].venID, t.vens[1].venID];
    const venA = await mqtt.connectAsync(url, {
      username: t.vens[0].clientId,
      password: secrets.a,
      reconnectPeriod: 0,
      protocolVersion: 5,
    });
    const venB = await mqtt.connectAsync(url, {
      username: t.vens[1].clientId,
      password: secrets.b,
      reconnectPeriod: 0,
    });
    clients.push(venA, venB);
    const got: Record<string, Array<{ topic: string; id: string }>> = { a: [], b: [] };
    venA.on("message", (topic, p) => got.a.push({ topic, id: JSON.parse(p.toString()).object.id }));
    venB.on("message", (topic, p) => got.b.push({ topic, id: JSON.parse(p.toString()).object.id }));
    expect(await grants(venA, `events/vens/${a}/+`)).toBe(1);
    expect(await grants(venB, `events/vens/${b}/+`)).toBe(1);
    // Mosquitto's acl_file does not refuse a SUBSCRIBE: it withholds every message the ACL does
    // not let the user read. VEN A tries B's topic and the BL topic; it must get none of them.
    for (const other of [`events/vens/${b}/+`, "events/+", "#"]) await grants(venA, other);

    const bl = await t.token(t.bl);
    const p = (await t.call(bl, "POST", "/programs", { programName: "via-mosquitto" })).body;
    const forA = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo-ven-1"] }))).body;
    const forB = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo-ven-2"] }))).body;
    // A's "#" also matches its program topics: wait for the event itself, not just any message.
    await expect
      .poll(() => [got.a.some((m) => m.id === forA.id), got.b.length >= 1], { interval: 20, timeout: 8_000 })
      .toEqual([true, true]);
    await t.vtn.notifier.settled();
    // A's wildcard subscriptions also match its own topics (MQTT 5 delivers once per matching
    // subscription); what matters is that every message is on A's own topics.
    expect(got.a).toContainEqual({ topic: `events/vens/${a}/create`, id: forA.id });
    expect(got.a.every((m) => m.topic.includes(`/vens/${a}/`))).toBe(true);
    expect(got.a.some((m) => m.id === forB.id)).toBe(false);
    expect(got.b).toEqual([{ topic: `events/vens/${b}/create`, id: forB.id }]);

    // An event for both: each VEN's topic carries it with only that VEN's own target (one
    // delivery, two bodies).
    const shown: Record<string, unknown[]> = { a: [], b: [] };
    venA.on("message", (_topic, m) => shown.a.push(JSON.parse(m.toString()).object.targets));
    venB.on("message", (_topic, m) => shown.b.push(JSON.parse(m.toString()).object.targets));
    await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo-ven-1", "demo-ven-2"] }));
    await expect.poll(() => [shown.a.length > 0, shown.b.length], { interval: 20, timeout: 8_000 }).toEqual([true, 1]);
    await t.vtn.notifier.settled();
    expect(new Set(shown.a.map((x) => JSON.stringify(x)))).toEqual(new Set([JSON.stringify(["demo-ven-1"])]));
    expect(shown.b).toEqual([["demo-ven-2"]]);
  });
});
