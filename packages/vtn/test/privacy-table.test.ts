// The one privacy table (src/testing/privacy-table.ts) through every channel of the VTN: REST
// reads and writes, webhook notifications, MQTT subscriptions and deliveries, the delivery API and
// the CLI. Every row is asked of every channel; a channel that cannot carry an object type says so
// in its expectation (MQTT has no VEN-scoped topic for reports and subscriptions).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  ACTORS,
  type Actor,
  buildWorld,
  COLLECTION,
  expectWriteCase,
  KIND_OF,
  READ_CASES,
  type ReadCase,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
  type Thing,
  testStoreEnv,
  touchAll,
  until,
  type World,
  WRITE_CASES,
  writeCaseName,
} from "@gridlink/vtn/testing";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../../cli/bin/gridlink.js", import.meta.url));

interface Message {
  topic: string;
  // biome-ignore lint/suspicious/noExplicitAny: notification bodies are untyped JSON in tests
  body: any;
}

let t: TestVtn;
let rx: Receiver;
let w: World;
const mqttClients = {} as Record<Actor, MqttClient>;
const messages = {} as Record<Actor, Message[]>;
/** What each actor's MQTT client was granted for each filter it asked (128 = refused). */
const granted = {} as Record<Actor, Map<string, number>>;

const venFilters = (venId: string) => [
  `events/vens/${venId}/+`,
  `programs/vens/${venId}/+`,
  `vens/${venId}/+`,
  `resources/vens/${venId}/+`,
];

beforeAll(async () => {
  t = await startTestVtn();
  rx = await startReceiver();
  w = await buildWorld(t, (a) => `${rx.url}/${a}`);
  const brokerUrl = (await t.call(w.tokens.bl, "GET", "/notifiers")).body.MQTT.URIS[0];
  const clientIds: Record<Actor, string> = { bl: t.bl.clientId, venA: t.vens[0].clientId, venB: t.vens[1].clientId };
  for (const a of ACTORS) {
    const c = await mqtt.connectAsync(brokerUrl, {
      username: clientIds[a],
      password: w.tokens[a],
      reconnectPeriod: 0,
    });
    messages[a] = [];
    c.on("message", (topic, payload) => messages[a].push({ topic, body: JSON.parse(payload.toString("utf8")) }));
    const own = a === "bl" ? ["#"] : venFilters(w.venIds[a]);
    const other = a === "venA" ? w.venIds.venB : w.venIds.venA;
    // What a VEN must be refused: another VEN's scoped topics and the all-objects topics.
    const foreign = a === "bl" ? [] : [...venFilters(other), "events/+", "reports/+", "vens/+", "#"];
    granted[a] = new Map();
    for (const filter of [...own, ...foreign]) {
      // The granted QoS; 128 is a refusal (mqtt.js raises it as an error).
      const qos = await c.subscribeAsync(filter, { qos: 1 }).then(
        (g) => g[0].qos,
        (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0] ?? Promise.reject(err),
      );
      granted[a].set(filter, qos);
    }
    mqttClients[a] = c;
  }
  // MQTT is live once the broker has clients: wait until a probe change reaches the BL's client.
  const probe = await t.call(w.tokens.bl, "POST", "/programs", { programName: "privacy-probe" });
  await until("the probe change on the BL's MQTT client", () =>
    messages.bl.some((m) => m.body.object?.id === probe.body.id),
  );
  await until("the notifier to settle", () => t.vtn.notifier.settled(5000), 15_000);
  rx.received.length = 0;
  for (const a of ACTORS) messages[a].length = 0;
  await touchAll(t, w);
  await until("the notifier to settle", () => t.vtn.notifier.settled(5000), 15_000);
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(mqttClients).map((c) => c.endAsync(true)));
  await t?.close();
  await rx?.close();
});

const label = (c: ReadCase) => `${c.actor} ${c.sees ? "sees" : "does not see"} ${c.thing}`;
const cases = READ_CASES.map((c) => [label(c), c] as const);
const path = (thing: Thing) => `${COLLECTION[KIND_OF[thing]]}/${w.ids[thing]}`;

describe("REST reads", () => {
  it.each(cases)("%s (GET one)", async (_, c) => {
    const r = await t.call(w.tokens[c.actor], "GET", path(c.thing));
    expect(r.status).toBe(c.sees ? 200 : 404);
    if (c.sees && c.shownTargets) expect(r.body.targets).toEqual(c.shownTargets);
  });

  it.each(cases)("%s (GET list)", async (_, c) => {
    const r = await t.call(w.tokens[c.actor], "GET", `${COLLECTION[KIND_OF[c.thing]]}?limit=50`);
    expect(r.status).toBe(200);
    const hit = (r.body as Array<{ id: string; targets?: string[] }>).find((o) => o.id === w.ids[c.thing]);
    expect(hit !== undefined).toBe(c.sees);
    if (hit && c.shownTargets) expect(hit.targets).toEqual(c.shownTargets);
  });
});

describe("webhook notifications", () => {
  const heard = (c: ReadCase) =>
    rx.received.filter(
      (r) => r.path === `/${c.actor}` && r.body.operation === "UPDATE" && r.body.object?.id === w.ids[c.thing],
    );

  it.each(cases)("%s", (_, c) => {
    const got = heard(c);
    expect(got.length > 0).toBe(c.sees);
    if (c.sees && c.shownTargets)
      for (const r of got) {
        expect(r.body.object.targets).toEqual(c.shownTargets);
        expect(r.body.targets).toEqual(c.shownTargets);
      }
  });
});

describe("MQTT", () => {
  it("a VEN is refused every topic filter but its own ven's scoped ones; BL gets all", () => {
    expect(granted.bl.get("#")).toBe(1);
    for (const a of ["venA", "venB"] as const)
      for (const [filter, qos] of granted[a]) {
        const mine = venFilters(w.venIds[a]).includes(filter);
        expect({ filter, granted: qos !== 128 }).toEqual({ filter, granted: mine });
      }
  });

  // VEN-scoped topics exist for programs, events, the ven itself and its resources (notifier doc
  // §8); a VEN hears of its reports and subscriptions by webhook only.
  const carried = (c: ReadCase) => c.actor === "bl" || !["REPORT", "SUBSCRIPTION"].includes(KIND_OF[c.thing]);

  it.each(cases)("%s", (_, c) => {
    const got = messages[c.actor].filter((m) => m.body.operation === "UPDATE" && m.body.object?.id === w.ids[c.thing]);
    expect(got.length > 0).toBe(c.sees && carried(c));
    if (c.actor !== "bl")
      for (const m of got) expect(m.topic.includes(w.venIds[c.actor as "venA" | "venB"])).toBe(true);
    if (c.sees && c.shownTargets && c.actor !== "bl")
      for (const m of got) expect(m.body.object.targets).toEqual(c.shownTargets);
  });
});

/** Every webhook delivery `a` may see through the delivery API, page by page. */
async function deliveries(a: Actor) {
  const out: Array<{ id: string; subscriptionID: string; objectID: string; operation: string }> = [];
  for (let skip = 0; ; skip += 50) {
    const r = await t.call(w.tokens[a], "GET", `/gridlink/deliveries?channel=WEBHOOK&limit=50&skip=${skip}`);
    expect(r.status).toBe(200);
    out.push(...r.body);
    if (r.body.length < 50) return out;
  }
}

describe("delivery API", () => {
  it.each(cases)("%s", async (_, c) => {
    const mine = (await deliveries(c.actor)).filter((d) => d.operation === "UPDATE" && d.objectID === w.ids[c.thing]);
    if (c.actor === "bl") {
      // BL sees every subscriber's deliveries, its own among them.
      expect(mine.length > 0).toBe(true);
      return;
    }
    const sub = c.actor === "venA" ? w.ids.subscriptionA : w.ids.subscriptionB;
    expect(mine.some((d) => d.subscriptionID === sub)).toBe(c.sees);
  });

  it("a VEN sees only deliveries to its own subscriptions, and another's is 404 to it", async () => {
    const all = await deliveries("bl");
    const ofB = all.find((d) => d.subscriptionID === w.ids.subscriptionB);
    expect(ofB).toBeDefined();
    for (const d of await deliveries("venA")) expect(d.subscriptionID).toBe(w.ids.subscriptionA);
    expect((await t.call(w.tokens.venA, "GET", `/gridlink/deliveries/${ofB?.id}`)).status).toBe(404);
    expect((await t.call(w.tokens.venA, "POST", `/gridlink/deliveries/${ofB?.id}/retry`)).status).toBe(404);
    expect((await t.call(w.tokens.venA, "POST", "/gridlink/deliveries/retry")).status).toBe(403);
    expect((await t.call(w.tokens.venA, "GET", `/gridlink/deliveries/${ofB?.id}`)).status).toBe(404);
    const mqttRows = await t.call(w.tokens.venA, "GET", "/gridlink/deliveries?channel=MQTT&limit=50");
    expect(mqttRows.body).toEqual([]);
  });
});

describe("CLI", () => {
  it("`gridlink notifications list` acts as admin: every subscriber's deliveries, as BL sees them", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, "notifications", "list", "--channel", "webhook", "--limit", "500", "--data-dir", t.dataDir],
      { timeout: 30_000, env: { ...process.env, ...(await testStoreEnv(t.dataDir)) } },
    );
    const listed = new Set(stdout.split("\n").map((l) => l.split("\t")[0]));
    const ids = (await deliveries("bl")).map((d) => d.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(listed.has(id)).toBe(true);
  });
});

describe("REST writes", () => {
  it.each(WRITE_CASES.map((c) => [writeCaseName(c), c] as const))("%s", (_, c) => expectWriteCase(t, w, c));
});
