// The console's views of issue 14 (and the chain view of issue 12) in a real chromium against real
// VTNs on port 0: the week and month calendar, the timeline's legend and fitted span, reports of a
// fleet against an event's limit, VENs and resources created, renamed and deleted, and the chain
// upstream event → downstream events → members → reports on a real gridlink node; at 400 px none
// of them scrolls sideways. Screenshots go to test/console/artifacts/ (gitignored).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GridlinkNode, parseNodeConfig } from "@gridlink/node";
import type { ClientCredentials } from "@gridlink/vtn";
import { jsonCall, startTestVtn, type TestVtn, tokenSource, until } from "@gridlink/vtn/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureConsoleBuilt, launchChromium } from "./browser.ts";

const SHOTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const H = 3_600_000;
let vtn: TestVtn;
let browser: Browser;
let page: Page;
let origin: string;
let bl: string;
let programID: string;
const pageErrors: string[] = [];
const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const iso = (t: number) => new Date(t).toISOString();

async function login(p: Page, at: string, c: ClientCredentials) {
  await p.goto(`${at}/console`);
  await p.getByLabel("Client ID").fill(c.clientId);
  await p.getByLabel("Client secret").fill(c.clientSecret);
  await p.getByRole("button", { name: "Log in" }).click();
  await p.getByText(/Live · updated/).waitFor();
}

/** What scrolls sideways at 400 px (outside the table frames, which scroll inside themselves). */
async function sidewaysOverflow(p: Page): Promise<string | undefined> {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  if (w <= 400) return undefined;
  const wide = await p.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > 401 && !e.closest(".table-wrap, nav"))
      .slice(0, 6)
      .map((e) => `${e.tagName}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`),
  );
  return `${w}px (${wide.join(" ")})`;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureConsoleBuilt();
  vtn = await startTestVtn();
  origin = new URL(vtn.url).origin;
  bl = await vtn.token(vtn.bl);
  programID = (await vtn.call(bl, "POST", "/programs", { programName: "feeder-9" })).body.id;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(8000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await login(page, origin, vtn.bl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vtn?.close();
});

describe("the events calendar and timeline", () => {
  test("week and month list each day's events with their hours; an event opens its details", async () => {
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const t0 = today.getTime();
    for (const [name, start, duration, values] of [
      ["tonight-prices", t0 + 18 * H, "PT1H", [0.1, 0.3, 0.2]],
      ["overnight-limit", t0 + 22 * H, "PT4H", [40]],
    ] as const) {
      const r = await vtn.call(bl, "POST", "/events", {
        programID,
        eventName: name,
        intervalPeriod: { start: iso(start), duration },
        payloadDescriptors: [
          name === "tonight-prices"
            ? { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" }
            : { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
        ],
        intervals: values.map((v, id) => ({
          id,
          payloads: [{ type: name === "tonight-prices" ? "PRICE" : "IMPORT_CAPACITY_LIMIT", values: [v] }],
        })),
      });
      expect(r.status).toBe(201);
    }
    await page.goto(`${origin}/console/#/events`);
    await page.getByRole("button", { name: "tonight-prices", exact: true }).waitFor();
    await page.getByLabel("Week").check();
    const todayCell = page.getByRole("listitem", {
      name: new RegExp(
        `^${today.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" })}: 2 event`,
      ),
    });
    await todayCell.waitFor();
    const hhmm = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    expect(await todayCell.getByRole("button").allTextContents()).toEqual([
      `${hhmm(t0 + 18 * H)}–${hhmm(t0 + 21 * H)} tonight-prices`,
      `${hhmm(t0 + 22 * H)}–… overnight-limit`,
    ]);
    // The overnight event goes on into the next day (which may be next week's Monday).
    if (today.getDay() !== 0) {
      const next = new Date(t0 + 26 * H);
      const tomorrow = page.getByRole("listitem", {
        name: new RegExp(
          `^${next.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" })}: 1 event`,
        ),
      });
      expect(await tomorrow.getByRole("button").textContent()).toBe(`…–${hhmm(t0 + 26 * H)} overnight-limit`);
    }
    await shot(page, "calendar-week");
    await page.getByLabel("Month").check();
    await page.getByRole("heading", { name: "Events", exact: true }).waitFor();
    const title = today.toLocaleDateString(undefined, { month: "long", year: "numeric" });
    await page.getByText(title, { exact: true }).waitFor();
    await todayCell.getByRole("button", { name: /^overnight-limit/ }).click();
    await page.getByRole("heading", { name: "overnight-limit", level: 2 }).waitFor();
    await shot(page, "calendar-month");
    await page.getByRole("button", { name: "Next month" }).click();
    await expect.poll(() => todayCell.count()).toBe(0);
    await page.getByRole("button", { name: "Today" }).click();
    await todayCell.waitFor();
  }, 60_000);

  test("the timeline: readable labels, a colour legend, the span box in step with Fit events", async () => {
    await page.getByLabel("Timeline").check();
    await page.getByRole("button", { name: "Now" }).click();
    const span = page.getByLabel("Span");
    expect(await span.inputValue()).toBe(String(24 * H));
    // Tick and event labels at the default span: at least 12 px, none cut by its neighbour.
    const ticks = page.locator(".tl-tick");
    expect(await ticks.count()).toBeGreaterThanOrEqual(6);
    const sizes = await ticks.evaluateAll((els) => els.map((e) => Number.parseFloat(getComputedStyle(e).fontSize)));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    const boxes = await ticks.evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right]),
    );
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]?.[0]).toBeGreaterThan(boxes[i - 1]?.[1] ?? 0);
    // Fit events: the span box shows the fitted span (18:00 → 02:00 next day, padded 5 % a side: 8 h 48 min).
    await page.getByRole("button", { name: "Fit events" }).click();
    await expect.poll(() => span.inputValue()).toBe(String(8 * H + 48 * 60_000));
    expect(await span.locator("option:checked").textContent()).toBe("8 h 48 min (fitted)");
    const nameSize = await page
      .locator(".tl-name")
      .first()
      .evaluate((e) => Number.parseFloat(getComputedStyle(e).fontSize));
    expect(nameSize).toBeGreaterThanOrEqual(11);
    const legend = page.getByRole("list", { name: "Colour legend" });
    expect(await legend.textContent()).toContain("IMPORT_CAPACITY_LIMIT4040KWPRICE0.10.3EUR/KWH");
    await shot(page, "timeline-legend");
    await span.selectOption({ label: "48 h" });
    expect(await span.locator("option", { hasText: "fitted" }).count()).toBe(0);
  }, 30_000);
});

describe("reports of a fleet", () => {
  test("per event interval: the sites' total against the limit in its units, baseline and delivered; per site and per resource on demand", async () => {
    const start = Date.now() - 30 * 60_000;
    const event = await vtn.call(bl, "POST", "/events", {
      programID,
      eventName: "congestion",
      intervalPeriod: { start: iso(start), duration: "PT1H" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [30] }] }],
    });
    expect(event.status).toBe(201);
    // site 1 reports two resources, site 2 its aggregate; DEMAND (kW) and BASELINE.
    const sites = [{ heatpump: [12, 18], battery: [8, 8] }, { AGGREGATED_REPORT: [15, 25] }];
    for (const [i, resources] of sites.entries()) {
      const ven = await vtn.token(vtn.vens[i]);
      const r = await vtn.call(ven, "POST", "/reports", {
        eventID: event.body.id,
        clientName: vtn.vens[i].venName,
        payloadDescriptors: [
          { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "DEMAND", units: "KW" },
          { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "BASELINE", units: "KW" },
        ],
        resources: Object.entries(resources).map(([resourceName, [demand, baseline]]) => ({
          resourceName,
          intervals: [
            {
              id: 0,
              payloads: [
                { type: "DEMAND", values: [demand] },
                { type: "BASELINE", values: [baseline] },
              ],
            },
          ],
        })),
      });
      expect(r.status).toBe(201);
    }
    await page.goto(`${origin}/console/#/reports?event=${event.body.id}`);
    const table = page.getByRole("table", { name: "Fleet report for congestion" });
    await table.waitFor();
    expect(await table.locator("caption").textContent()).toContain(
      "IMPORT_CAPACITY_LIMIT in KW · reported DEMAND in KW",
    );
    const row = table.getByTestId("fleet-0");
    // limit 30, total 12+8+15 = 35 (over), headroom −5, baseline 18+8+25 = 51, delivered 16, 2 sites.
    await expect.poll(() => row.locator("td").allTextContents()).toEqual(["30", "35 over", "-5", "51", "16", "2"]);
    expect(await table.locator("tr.part").count()).toBe(0);
    await page.getByLabel("Show").selectOption("site");
    const one = vtn.vens[0].venName;
    const two = vtn.vens[1].venName;
    await expect
      .poll(() =>
        table.locator("tr.part").evaluateAll((rs) => rs.map((r) => [...r.children].map((c) => c.textContent ?? ""))),
      )
      .toEqual([
        [`↳ ${one}`, "", "20", "", "26", "6", ""],
        [`↳ ${two}`, "", "15", "", "25", "10", ""],
      ]);
    await shot(page, "reports-fleet");
    await page.getByLabel("Show").selectOption("resource");
    await expect
      .poll(() => table.locator("tr.part td:first-child").allTextContents())
      .toEqual([`↳ ${one} · battery`, `↳ ${one} · heatpump`, `↳ ${two} · AGGREGATED_REPORT`]);
  }, 30_000);

  test("an event with import and export limits: a column pair each; the net export against the export limit", async () => {
    const limits = [
      { type: "IMPORT_CAPACITY_LIMIT", value: 30 },
      { type: "EXPORT_CAPACITY_LIMIT", value: 10 },
    ];
    const event = await vtn.call(bl, "POST", "/events", {
      programID,
      eventName: "envelope",
      intervalPeriod: { start: iso(Date.now() - 30 * 60_000), duration: "PT1H" },
      payloadDescriptors: limits.map((l) => ({
        objectType: "EVENT_PAYLOAD_DESCRIPTOR",
        payloadType: l.type,
        units: "KW",
      })),
      intervals: [{ id: 0, payloads: limits.map((l) => ({ type: l.type, values: [l.value] })) }],
    });
    expect(event.status).toBe(201);
    const r = await vtn.call(await vtn.token(vtn.vens[0]), "POST", "/reports", {
      eventID: event.body.id,
      clientName: vtn.vens[0].venName,
      payloadDescriptors: [{ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "DEMAND", units: "KW" }],
      resources: [{ resourceName: "pv", intervals: [{ id: 0, payloads: [{ type: "DEMAND", values: [-14] }] }] }],
    });
    expect(r.status).toBe(201);
    // Loaded afresh: the previous test left the page on the Reports view.
    await page.goto(`${origin}/console/#/reports?event=${event.body.id}`);
    await page.reload();
    const table = page.getByRole("table", { name: "Fleet report for envelope" });
    await table.waitFor();
    expect(await table.locator("thead th").allTextContents()).toEqual([
      "Interval",
      "Import limit (KW)",
      "Export limit (KW)",
      "DEMAND (KW)",
      "Import headroom",
      "Export headroom",
      "Baseline",
      "Delivered",
      "Sites",
    ]);
    // net DEMAND −14: import headroom 30 + 14 = 44; an export of 14 against 10, headroom −4.
    await expect
      .poll(() => table.getByTestId("fleet-0").locator("td").allTextContents())
      .toEqual(["30", "10", "-14 export over", "44", "-4", "—", "—", "1"]);
  }, 30_000);
});

describe("VENs and resources in the console", () => {
  test("create, rename and delete a VEN and a resource; a refusal shows the problem's detail", async () => {
    await page.goto(`${origin}/console/#/vens`);
    await page.getByRole("button", { name: "New VEN" }).click();
    await page.getByLabel("VEN name").fill("depot-3");
    await page.getByLabel("Client ID").fill("depot-3-client");
    await page.getByRole("button", { name: "Create VEN" }).click();
    await page.getByRole("rowheader", { name: "depot-3" }).waitFor();
    await page.getByRole("button", { name: "Rename VEN depot-3" }).click();
    // A name another VEN has: the VTN refuses, and its detail shows beside the field.
    await page.getByLabel("New name of depot-3").fill(vtn.vens[0].venName);
    await page.getByRole("button", { name: "Save name" }).click();
    await expect
      .poll(() => page.locator("[id^='name-depot-3'][id$='-error']").textContent())
      .toMatch(/already|exists|taken|unique/i);
    await page.getByLabel("New name of depot-3").fill("depot-4");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("rowheader", { name: "depot-4" }).waitFor();
    const vens = (await vtn.call(bl, "GET", "/vens")).body as Array<{ id: string; venName: string; clientID: string }>;
    const depot = vens.find((v) => v.venName === "depot-4");
    expect(depot?.clientID).toBe("depot-3-client");

    await page.getByRole("button", { name: "New resource" }).click();
    await page.getByLabel("Resource name").fill("charger-1");
    await page.getByLabel("VEN", { exact: true }).selectOption({ label: "depot-4" });
    await page.locator("#rf-targets").fill("depot");
    await page.getByRole("button", { name: "Create resource" }).click();
    await page.getByRole("rowheader", { name: "charger-1" }).waitFor();
    const resourcesOf = async (venID?: string) =>
      ((await vtn.call(bl, "GET", "/resources")).body as Array<{ venID: string }>).filter((r) => r.venID === venID);
    expect(await resourcesOf(depot?.id)).toMatchObject([
      { resourceName: "charger-1", venID: depot?.id, targets: ["depot"] },
    ]);
    await page.getByRole("button", { name: "Rename resource charger-1" }).click();
    await page.getByLabel("New name of charger-1").fill("charger-2");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("rowheader", { name: "charger-2" }).waitFor();
    await shot(page, "vens-edit");
    await page.getByRole("button", { name: "Delete resource charger-2" }).click();
    await page.getByRole("button", { name: "Delete resource", exact: true }).click();
    await expect.poll(() => page.getByRole("rowheader", { name: "charger-2" }).count()).toBe(0);
    expect(await resourcesOf(depot?.id)).toEqual([]);
    await page.getByRole("button", { name: "Delete VEN depot-4" }).click();
    await page.getByRole("button", { name: "Delete VEN", exact: true }).click();
    await expect.poll(() => page.getByRole("rowheader", { name: "depot-4" }).count()).toBe(0);
    expect((await vtn.call(bl, "GET", `/vens/${depot?.id}`)).status).toBe(404);
  }, 40_000);

  test("a viewer sees no New resource, Rename or Delete button", async () => {
    const viewer = await vtn.vtn.clients.add({ role: "viewer", name: "viewer-vens" });
    const p = await browser.newPage();
    p.setDefaultTimeout(8000);
    await login(p, origin, viewer);
    await p.goto(`${origin}/console/#/vens`);
    await p.getByRole("rowheader", { name: vtn.vens[0].venName }).waitFor();
    expect(await p.getByRole("button", { name: /^(New resource|Rename|Delete)/ }).count()).toBe(0);
    await p.close();
  }, 30_000);
});

describe("the chain of a gridlink node", () => {
  test("upstream event → downstream events → members → their reports, reached from an event's details", async () => {
    // A node below this VTN: a VEN of it, a VTN of two sites (docs/node.md).
    const creds = await vtn.vtn.clients.add({ role: "ven", name: "aggregator" });
    expect(
      (
        await vtn.call(bl, "POST", "/vens", {
          venName: "aggregator",
          clientID: creds.clientId,
          targets: ["aggregator"],
        })
      ).status,
    ).toBe(201);
    const node = await GridlinkNode.start(
      parseNodeConfig(
        {
          name: "aggregator",
          upstream: { url: vtn.url, ...creds, intake: { mode: "auto", pollSeconds: 0.5 } },
          vtn: {
            host: "127.0.0.1",
            port: 0,
            mqttPort: 0,
            dataDir: mkdtempSync(join(tmpdir(), "gridlink-chain-")),
            logLevel: "silent",
            demo: false,
            tokenRateLimitPerMinute: 0,
          },
          split: { policy: "proportional" },
          members: { offlineAfterMinutes: 15, telemetryMinutes: 15, reportGraceMinutes: 5 },
        },
        {},
      ),
      { onError: () => {} },
    );
    try {
      const members: Record<string, ClientCredentials> = {};
      for (const name of ["home-1", "home-2"]) {
        members[name] = await node.vtn.clients.add({ role: "ven", name });
        await node.vtn.core.vens.create(node.bl, { venName: name, clientID: members[name].clientId, targets: [name] });
      }
      const upstream = await vtn.call(bl, "POST", "/events", {
        programID,
        eventName: "feeder-limit",
        targets: ["aggregator"],
        intervalPeriod: { start: iso(Date.now() - 10 * 60_000), duration: "PT1H" },
        payloadDescriptors: [
          { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
        ],
        intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [10] }] }],
      });
      expect(upstream.status).toBe(201);
      await until(
        "the node to derive one event per member",
        async () => (await node.downstreamOf(upstream.body.id)).length === 2,
      );
      const downstream = await node.downstreamOf(upstream.body.id);
      // home-1 reports on its downstream event to the node's VTN.
      const call = jsonCall(node.url);
      const token = await tokenSource(node.url)(members["home-1"]);
      const mine = downstream.find((e) => e.gridlinkUpstream?.member === "home-1");
      const rep = await call(token, "POST", "/reports", {
        eventID: mine?.id,
        clientName: "home-1",
        resources: [
          { resourceName: "AGGREGATED_REPORT", intervals: [{ id: 0, payloads: [{ type: "DEMAND", values: [4.5] }] }] },
        ],
      });
      expect(rep.status).toBe(201);

      const operator = await node.vtn.clients.add({ role: "bl", name: "node-operator" });
      const p = await browser.newPage();
      p.setDefaultTimeout(8000);
      p.on("pageerror", (e) => pageErrors.push(String(e)));
      const nodeOrigin = new URL(node.url).origin;
      await login(p, nodeOrigin, operator);
      await p.goto(`${nodeOrigin}/console/#/events?event=${mine?.id}`);
      await p.getByText(`from upstream event ${upstream.body.id}`).waitFor();
      await p.locator(".details").getByRole("link", { name: "Chain" }).click();
      await p.getByRole("heading", { name: `Upstream event ${upstream.body.id}` }).waitFor();
      const one = p.getByTestId("chain-home-1");
      expect(await one.textContent()).toContain("Member home-1");
      expect(await one.textContent()).toContain("1 report(s), 1 value(s)");
      expect(await one.getByRole("table").locator("tbody td").allTextContents()).toEqual([
        "AGGREGATED_REPORT",
        expect.any(String),
        "DEMAND",
        "4.5 ",
      ]);
      expect(await p.getByTestId("chain-home-2").textContent()).toContain("Reports none yet");
      await shot(p, "chain");
      // Each step navigates: the member to its VEN row, the downstream event to its details.
      await one.getByRole("link", { name: "home-1", exact: true }).click();
      await p.getByRole("rowheader", { name: "home-1" }).waitFor();
      expect(await p.getByRole("rowheader", { name: "home-2" }).count()).toBe(0);
      await p.goBack();
      await p.getByTestId("chain-home-1").getByRole("link").first().click();
      await p.getByRole("heading", { name: mine?.eventName || mine?.id || "", level: 2 }).waitFor();

      await p.setViewportSize({ width: 400, height: 800 });
      await p.goto(`${nodeOrigin}/console/#/chain?upstream=${upstream.body.id}`);
      await p.getByTestId("chain-home-1").waitFor();
      await p.waitForTimeout(300);
      expect(await sidewaysOverflow(p)).toBeUndefined();
      await shot(p, "narrow-chain");
      await p.close();
    } finally {
      await node.stop();
    }
  }, 90_000);
});

describe("at 400 px", () => {
  test("the calendar, the fleet report and the VEN editors scroll no view sideways", async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    const overflows: string[] = [];
    const check = async (name: string) => {
      await page.waitForTimeout(300);
      const o = await sidewaysOverflow(page);
      if (o) overflows.push(`${name}: ${o}`);
      await shot(page, `narrow-${name}`);
    };
    await page.goto(`${origin}/console/#/events`);
    await page.getByLabel("Week").check();
    await page.locator(".cal-day").first().waitFor();
    await check("calendar-week");
    await page.getByLabel("Month").check();
    await check("calendar-month");
    await page.getByLabel("Timeline").check();
    await check("timeline-legend");
    await page.goto(`${origin}/console/#/reports`);
    await page.getByRole("heading", { name: "Fleet against the limit" }).waitFor();
    await page.getByLabel("Show").selectOption("resource");
    await check("reports-fleet");
    await page.goto(`${origin}/console/#/vens`);
    await page.getByRole("button", { name: "New resource" }).click();
    await page.getByRole("button", { name: `Rename VEN ${vtn.vens[0].venName}` }).click();
    await check("vens-edit");
    expect(overflows).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 40_000);
});
