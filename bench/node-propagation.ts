// Benchmark of issue 12: a gridlink node with N sites (default 1,000) under it.
//   npx tsx bench/node-propagation.ts [--sites 1000] [--rounds 3]
// One process holds the DSO VTN, the node (its VTN with its own MQTT broker) and the N sites, each
// an SDK VEN (EventMirror + NotificationIntake over MQTT, as `gridlink ven` runs them).
// Figures, each beside a ceiling measured in the same run on the same sites:
// - propagation: DSO BL POSTs an import limit for the node → the last site's mirror holds its
//   derived event (MQTT DSO → node, split, N core writes, MQTT node → N sites). Ceiling: the node's
//   own BL writing the same N per-site events straight into the node's core (no upstream, no split),
//   until the last site holds its own: what the fan-out alone costs.
// - cancel: DSO BL DELETEs the event → the last site's mirror has dropped it. Ceiling: the same N
//   deletes straight into the node's core.
// - aggregated report: every site's report for interval 0 is in the node's store → the DSO holds
//   the node's AGGREGATED_REPORT for it (readiness over N members, the sum, POST upstream).
//   Ceiling: one VEN POSTing the same report body straight to the DSO.
// Set-up is not measured: the N site clients are added in one ClientRegistry.import with one
// hashed secret (hashClientSecret), and each site's token comes from bench/support/minted-tokens.ts
// (the node VTN's own issuer, the secret not checked: the login is not what is measured). The VTN
// still verifies every token on every request and MQTT connection.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@gridlink/cems";
import type { Event } from "@gridlink/model";
import { GridlinkNode, parseNodeConfig, type TracedEvent } from "@gridlink/node";
import { BlClient, EventMirror, NotificationIntake, VenClient } from "@gridlink/ven";
import { createVtn, hashClientSecret, principalFor, ROLE_SCOPES, type Vtn } from "@gridlink/vtn";
import { serveMintedTokens } from "./support/minted-tokens.ts";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SITES = Number(arg("sites", "1000"));
const ROUNDS = Number(arg("rounds", "3"));
const log = (s: string) => process.stderr.write(`${s}\n`);
const MIN = 60_000;
const T0 = Date.parse("2030-01-01T16:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const quiet = () => {};

function vtnConfig(dataDir: string) {
  return {
    host: "127.0.0.1",
    port: 0,
    mqttPort: 0,
    dataDir,
    logLevel: "silent",
    demo: false,
    tokenRateLimitPerMinute: 0,
  } as const;
}

interface SiteVen {
  name: string;
  clientID: string;
  mirror: EventMirror;
  intake: NotificationIntake;
}

const WAIT_MS = Number(arg("wait", "180")) * 1000;

/**
 * Resolves when `ok()` holds (checked every 5 ms); throws after --wait seconds (default 180),
 * naming what it waited for, so that a notification that never arrives ends the run with a
 * message instead of hanging it.
 */
function waitFor(ok: () => boolean, what = "the condition"): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (ok()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(t);
        reject(new Error(`gave up after ${WAIT_MS / 1000} s waiting for ${what}`));
      }
    }, 5);
  });
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

async function main() {
  const dirs = [
    mkdtempSync(join(tmpdir(), "gridlink-bench-dso-")),
    mkdtempSync(join(tmpdir(), "gridlink-bench-node-")),
  ];
  const dso: Vtn = await createVtn(vtnConfig(dirs[0]));
  await dso.listen();
  const blCreds = await dso.clients.add({ role: "bl", name: "dso-bl" });
  const dsoBl = new BlClient({ baseUrl: dso.url, ...blCreds });
  const aggCreds = await dso.clients.add({ role: "ven", name: "agg" });
  await dsoBl.vens.create({ venName: "agg", clientID: aggCreds.clientId, targets: ["agg"] });
  const clock = new ManualClock(new Date(T0));
  const node = await GridlinkNode.start(
    parseNodeConfig(
      {
        name: "agg",
        upstream: { url: dso.url, ...aggCreds, intake: { mode: "auto", pollSeconds: 5 } },
        vtn: vtnConfig(dirs[1]),
        members: { offlineAfterMinutes: 600, telemetryMinutes: 15, reportGraceMinutes: 5 },
      },
      {},
    ),
    { clock, onError: (e) => log(`node: ${e.message}`) },
  );
  const sites: SiteVen[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    log(`provisioning ${SITES} sites on the node and connecting them over MQTT...`);
    const telemetry = (await node.vtn.core.events.list(node.bl, { skip: 0, limit: 50 }))[0];
    const t0 = Date.now();
    const siteName = (i: number) => `site-${String(i + 1).padStart(5, "0")}`;
    const secret = "bench-site-secret-not-checked";
    const secretHash = await hashClientSecret(secret);
    await node.vtn.clients.import(
      Array.from({ length: SITES }, (_, i) => ({
        clientId: `ven-${siteName(i)}`,
        name: siteName(i),
        role: "ven" as const,
        secretHash,
      })),
    );
    const issuer = node.vtn.issuer;
    if (!issuer) throw new Error("the node's VTN has no built-in issuer");
    const tokens = await serveMintedTokens((id) => issuer.issue(id, "ven", ROLE_SCOPES.ven), issuer.ttlSeconds);
    closers.push(() => tokens.close());
    for (let i = 0; i < SITES; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, SITES - i) }, async (_, k) => {
          const name = siteName(i + k);
          const c = { clientId: `ven-${name}`, clientSecret: secret };
          const ven = await node.vtn.core.vens.create(node.bl, {
            venName: name,
            clientID: c.clientId,
            targets: [name],
          });
          // One telemetry interval each (1–2 kW): the node's flexibility estimate.
          await node.vtn.core.reports.create(principalFor("ven", c.clientId), {
            eventID: telemetry.id,
            clientName: name,
            payloadDescriptors: [
              { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "BASELINE", readingType: "MEAN", units: "KW" },
            ],
            resources: [
              {
                resourceName: "AGGREGATED_REPORT",
                intervals: [
                  {
                    id: 0,
                    intervalPeriod: { start: iso(T0 - 15 * MIN), duration: "PT15M" },
                    payloads: [{ type: "BASELINE", values: [1 + ((i + k) % 10) / 10] }],
                  },
                ],
              },
            ],
          });
          const client = new VenClient({ baseUrl: node.url, ...c, tokenUrl: tokens.url, retries: 6 });
          const mirror = new EventMirror(client, { now: () => clock.now() });
          const intake = new NotificationIntake({
            client,
            mirror,
            venID: ven.id,
            clientName: name,
            mqtt: true,
            pollMs: 60_000,
            safetyResyncMs: 3_600_000,
            onError: quiet,
          });
          await intake.start();
          return { name, clientID: c.clientId, mirror, intake };
        }),
      );
      sites.push(...batch);
    }
    const mqtt = sites.filter((s) => s.intake.mode === "mqtt").length;
    log(`  ${SITES} sites in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${mqtt} on MQTT`);
    await node.advanceTo(clock.now());

    const program = await dsoBl.programs.create({
      programName: "congestion",
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
    });
    const holds = (s: SiteVen, up: string) =>
      s.mirror.events().some((k) => (k.event as TracedEvent).gridlinkUpstream?.eventID === up);
    const prop: number[] = [];
    const cancel: number[] = [];
    const direct: number[] = [];
    const directCancel: number[] = [];
    const nodeWrites: number[] = [];
    let last: Event | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      // Through the node.
      const began = Date.now();
      const created0 = node.writes.created;
      const up = await dsoBl.events.create({
        programID: program.id,
        eventName: `limit-${r}`,
        targets: ["agg"],
        intervalPeriod: { start: iso(T0 + 60 * MIN), duration: "PT30M" },
        intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [SITES] }] }],
        reportDescriptors: [
          {
            payloadType: "DEMAND",
            readingType: "MEAN",
            units: "KW",
            aggregate: true,
            startInterval: 0,
            numIntervals: 1,
          },
        ],
      });
      await waitFor(() => node.writes.created - created0 >= SITES, "the node to write its downstream events");
      nodeWrites.push(Date.now() - began);
      await waitFor(() => sites.every((s) => holds(s, up.id)), "every site to hold the upstream event");
      prop.push(Date.now() - began);
      log(
        `  round ${r}: node wrote ${SITES} events in ${nodeWrites.at(-1)} ms, last site notified at ${prop.at(-1)} ms`,
      );

      // Ceiling: the same N per-site events written straight into the node's core.
      const t1 = Date.now();
      const own = await Promise.all(
        sites.map((s) =>
          node.vtn.core.events.create(node.bl, {
            programID: telemetry.programID,
            eventName: `direct-${r}-${s.name}`,
            targets: [s.name],
            intervalPeriod: { start: iso(T0 + 60 * MIN), duration: "PT30M" },
            intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [1] }] }],
          }),
        ),
      );
      const ids = new Set(own.map((e) => e.id));
      const seen = (s: SiteVen) => s.mirror.events().some((k) => ids.has(k.event.id));
      await waitFor(() => sites.every(seen), "every site to hold its direct event");
      log(`  round ${r}: direct events: last site notified at ${Date.now() - t1} ms`);
      direct.push(Date.now() - t1);
      const t2 = Date.now();
      await Promise.all(own.map((e) => node.vtn.core.events.remove(node.bl, e.id)));
      await waitFor(() => !sites.some(seen), "every site to drop its direct event");
      directCancel.push(Date.now() - t2);

      if (r < ROUNDS - 1) {
        const t3 = Date.now();
        await dsoBl.events.delete(up.id);
        await waitFor(() => sites.every((s) => !holds(s, up.id)), "every site to drop the cancelled event");
        cancel.push(Date.now() - t3);
      } else last = up;
    }

    // Aggregated report latency: every site reports interval 0 of its derived event.
    const up = last as Event;
    const derived = await node.downstreamOf(up.id);
    const byMember = new Map(derived.map((e) => [e.gridlinkUpstream?.member, e.id]));
    clock.set(new Date(T0 + 90 * MIN));
    await Promise.all(
      sites.map((s) =>
        node.vtn.core.reports.create(principalFor("ven", s.clientID), {
          eventID: byMember.get(s.name) as string,
          clientName: s.name,
          payloadDescriptors: [
            { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "DEMAND", readingType: "MEAN", units: "KW" },
          ],
          resources: [
            {
              resourceName: "AGGREGATED_REPORT",
              intervals: [
                {
                  id: 0,
                  intervalPeriod: { start: iso(T0 + 60 * MIN), duration: "PT30M" },
                  payloads: [{ type: "DEMAND", values: [0.9] }],
                },
              ],
            },
          ],
        }),
      ),
    );
    const t4 = Date.now();
    await node.advanceTo(clock.now());
    let reports = await dsoBl.reports.all({ eventID: up.id });
    while (reports.length === 0) {
      await new Promise((r) => setTimeout(r, 5));
      reports = await dsoBl.reports.all({ eventID: up.id });
    }
    const aggMs = Date.now() - t4;
    const sum = reports[0].resources[0].intervals[0].payloads.find((p) => p.type === "DEMAND")?.values[0];
    // Ceiling: the same body POSTed straight to the DSO by one VEN.
    const ven = new VenClient({ baseUrl: dso.url, ...aggCreds });
    await ven.reports.create({ ...reports[0], reportName: "warm-up" } as never);
    const t5 = Date.now();
    await ven.reports.create({ ...reports[0], reportName: "ceiling" } as never);
    const postMs = Date.now() - t5;

    const p = stats(prop);
    const d = stats(direct);
    const c = stats(cancel);
    const dc = stats(directCancel);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    process.stdout.write(
      `\nNode with ${SITES} sites (MQTT intake, all in one process), ${ROUNDS} rounds, median (max) ms:\n\n`,
    );
    process.stdout.write(
      "| path | through the node | ceiling, same run | ratio |\n|---|---|---|---|\n" +
        `| upstream event → last site notified | ${p.median} (${p.max}) | ${d.median} (${d.max}): ${SITES} events written straight into the node's core → last site notified | ${ratio(p.median, d.median)} |\n` +
        `| upstream cancel → last site dropped it | ${c.median ?? "-"} (${c.max ?? "-"}) | ${dc.median} (${dc.max}): ${SITES} deletes straight into the node's core | ${c.median ? ratio(c.median, dc.median) : "-"} |\n` +
        `| last member report in → DSO holds the aggregate | ${aggMs} | ${postMs}: one POST /reports of the same body to the DSO | ${ratio(aggMs, postMs)} |\n`,
    );
    process.stdout.write(
      `\nNode writes (upstream event → ${SITES} downstream events in its store): median ${stats(nodeWrites).median} ms. Aggregate DEMAND sent: ${sum} kW (${SITES} × 0.9).\n`,
    );
  } finally {
    await Promise.all(sites.map((s) => s.intake.stop()));
    for (const c of closers) await c();
    await node.stop();
    await dso.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

await main();
