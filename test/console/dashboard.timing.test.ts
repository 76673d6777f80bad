// The operator's day in a real chromium against a real VTN (issue 14): the dashboard as landing
// view (events in force and coming, VENs online from their requests, the fleet's load against the
// limit in force, an export limit against the net export, delivery health, each figure a link),
// live by push (server-sent events), search,
// paging and sorting of the VEN table, no sideways scrolling at 400 px with a cue when the
// navigation scrolls, a favicon. Screenshots go to test/console/artifacts/ (gitignored).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureConsoleBuilt, launchChromium } from "./browser.ts";

const SHOTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
let vtn: TestVtn;
let browser: Browser;
let page: Page;
let origin: string;
let bl: string;
const pageErrors: string[] = [];
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const H = 3_600_000;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureConsoleBuilt();
  vtn = await startTestVtn();
  origin = new URL(vtn.url).origin;
  bl = await vtn.token(vtn.bl);
  const program = (await vtn.call(bl, "POST", "/programs", { programName: "feeder-7" })).body;
  const now = Date.now();
  const event = await vtn.call(bl, "POST", "/events", {
    programID: program.id,
    eventName: "evening-limit",
    targets: ["demo"],
    intervalPeriod: { start: new Date(now - H).toISOString(), duration: "PT3H" },
    payloadDescriptors: [{ objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" }],
    intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [50] }] }],
  });
  expect(event.status).toBe(201);
  await vtn.call(bl, "POST", "/events", {
    programID: program.id,
    eventName: "tomorrow-price",
    intervalPeriod: { start: new Date(now + 20 * H).toISOString(), duration: "PT1H" },
    intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [0.3] }] }],
  });
  // Two sites report their demand for the limit event; the first VEN also polls (it is online).
  for (const [i, kw] of [
    [0, 12.5],
    [1, 20],
  ] as const) {
    const ven = await vtn.token(vtn.vens[i]);
    const r = await vtn.call(ven, "POST", "/reports", {
      eventID: event.body.id,
      clientName: vtn.vens[i].venName,
      resources: [
        {
          resourceName: "AGGREGATED_REPORT",
          intervals: [
            {
              id: 0,
              intervalPeriod: { start: new Date(now - 15 * 60_000).toISOString(), duration: "PT15M" },
              payloads: [{ type: "DEMAND", values: [kw] }],
            },
          ],
        },
      ],
    });
    expect(r.status).toBe(201);
  }
  await vtn.call(await vtn.token(vtn.vens[0]), "GET", "/events");
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${origin}/console`);
  await page.getByLabel("Client ID").fill(vtn.bl.clientId);
  await page.getByLabel("Client secret").fill(vtn.bl.clientSecret);
  await page.getByRole("button", { name: "Log in" }).click();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vtn?.close();
});

describe("the dashboard", () => {
  test("is the landing view: events in force and coming, VENs online, load against the limit, deliveries", async () => {
    await page.getByRole("heading", { name: "Today" }).waitFor();
    const tile = (id: string) => page.getByTestId(id);
    await expect.poll(() => tile("tile-events").textContent()).toContain("1events in force");
    expect(await tile("tile-events").textContent()).toContain("1 coming in 7 days");
    // Both VENs wrote reports (requests), so both are online.
    await expect.poll(() => tile("tile-vens").textContent()).toContain("2of 2 VENs online");
    expect(await tile("tile-load").textContent()).toContain("32.5reported against 50 limit");
    expect(await tile("tile-deliveries").textContent()).toMatch(/dead letters/);
    const list = page.locator("section").getByText("evening-limit").first();
    await list.waitFor();
    expect(await page.getByText(/32\.5 kW reported by 2 site\(s\)/).count()).toBe(1);
    expect(await page.getByText("tomorrow-price").count()).toBeGreaterThan(0);
    await shot("dashboard");
    // Each figure links to its view.
    expect(await tile("tile-events").getAttribute("href")).toBe("#/events");
    expect(await tile("tile-vens").getAttribute("href")).toBe("#/vens");
    expect(await tile("tile-load").getAttribute("href")).toBe("#/reports");
    expect(await tile("tile-deliveries").getAttribute("href")).toBe("#/subscriptions");
    await tile("tile-vens").click();
    await page.getByRole("heading", { name: "VENs & resources" }).waitFor();
    await page.goto(`${origin}/console/#/dashboard`);
  }, 30_000);

  test("a change on the VTN shows without a reload, pushed (polling is 30 s while the push stream is up)", async () => {
    await page.getByText(/Live · updated .* · pushed/).waitFor();
    const program = (await vtn.call(bl, "GET", "/programs")).body[0];
    const began = Date.now();
    await vtn.call(bl, "POST", "/events", {
      programID: program.id,
      eventName: "pushed-event",
      intervalPeriod: { start: new Date(Date.now() - 60_000).toISOString(), duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    await page.getByText("pushed-event").first().waitFor({ timeout: 5000 });
    expect(Date.now() - began).toBeLessThan(5000);
    await expect.poll(() => page.getByTestId("tile-events").textContent()).toContain("2events in force");
  }, 30_000);
});

describe("an export limit on the dashboard", () => {
  test("is checked against the net export and labelled export", async () => {
    const program = (await vtn.call(bl, "GET", "/programs")).body[0];
    const event = await vtn.call(bl, "POST", "/events", {
      programID: program.id,
      eventName: "pv-export-cap",
      intervalPeriod: { start: new Date(Date.now() - H).toISOString(), duration: "PT3H" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "EXPORT_CAPACITY_LIMIT", units: "KW" },
      ],
      intervals: [{ id: 0, payloads: [{ type: "EXPORT_CAPACITY_LIMIT", values: [10] }] }],
    });
    expect(event.status).toBe(201);
    // A site feeding 14 kW into the grid (net DEMAND −14): 4 kW over the export limit of 10.
    const r = await vtn.call(await vtn.token(vtn.vens[0]), "POST", "/reports", {
      eventID: event.body.id,
      clientName: vtn.vens[0].venName,
      resources: [
        {
          resourceName: "pv",
          intervals: [
            {
              id: 0,
              intervalPeriod: { start: new Date(Date.now() - 15 * 60_000).toISOString(), duration: "PT15M" },
              payloads: [{ type: "DEMAND", values: [-14] }],
            },
          ],
        },
      ],
    });
    expect(r.status).toBe(201);
    const line = page.getByTestId("load-EXPORT_CAPACITY_LIMIT");
    await expect
      .poll(() => line.textContent(), { timeout: 10_000 })
      .toBe("pv-export-cap 14 kW export reported by 1 site(s), over against EXPORT_CAPACITY_LIMIT 10 KW");
    expect(await line.locator(".bad").count()).toBe(1);
    // The import limit of the first event stays as it was; the export is summed on its own.
    const tile = await page.getByTestId("tile-load").textContent();
    expect(tile).toContain("32.5reported against 50 limit");
    expect(tile).toContain("2 limit(s) in force; export 14 against 10; 1 over");
    await shot("dashboard-export-limit");
  }, 30_000);
});

describe("the VEN table", () => {
  test("search, sorting and paging", async () => {
    for (let i = 1; i <= 30; i++)
      expect(
        (
          await vtn.call(bl, "POST", "/vens", {
            venName: `site-${String(i).padStart(2, "0")}`,
            clientID: `client-${i}`,
          })
        ).status,
      ).toBe(201);
    await page.goto(`${origin}/console/#/vens`);
    const table = page.getByRole("table", { name: "VENs" });
    await page.getByText("page 1 of 2").waitFor({ timeout: 10_000 });
    expect(await table.locator("tbody tr").count()).toBe(25);
    await page.getByPlaceholder("Search VENs").fill("site-1");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(10);
    await page.getByPlaceholder("Search VENs").fill("");
    // Sorted by name already: a click on the header reverses.
    await page.getByRole("button", { name: "VEN", exact: true }).click();
    await expect.poll(() => table.locator("tbody th").first().textContent()).toBe("site-30");
    await page.getByRole("button", { name: "Next page of search vens" }).click();
    await page.getByText("page 2 of 2").waitFor();
    expect(await table.locator("tbody tr").count()).toBe(7);
    await shot("vens-table");
  }, 30_000);
});

describe("at 400 px", () => {
  test("no view scrolls sideways, and the navigation shows that it scrolls", async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    const overflows: string[] = [];
    for (const view of ["dashboard", "programs", "events", "vens", "reports", "subscriptions", "scenarios"]) {
      await page.goto(`${origin}/console/#/${view}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForTimeout(300);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 400) {
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > 401 && !e.closest(".table-wrap, nav"))
            .slice(0, 6)
            .map((e) => `${e.tagName}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`),
        );
        overflows.push(`${view}: ${w}px (${wide.join(" ")})`);
      }
      await shot(`narrow-${view}`);
    }
    expect(overflows).toEqual([]);
    await page.getByTestId("nav-cue").waitFor();
    // Scrolled to its end, the navigation has nothing more to show: the cue goes.
    await page.locator("nav.nav").evaluate((n) => n.scrollTo({ left: n.scrollWidth }));
    await expect.poll(() => page.getByTestId("nav-cue").count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);
});

describe("the favicon", () => {
  test("is linked and served", async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute("href");
    expect(href).toBe("/console/favicon.svg");
    const res = await fetch(`${origin}${href}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("svg");
    expect(pageErrors).toEqual([]);
  });
});
