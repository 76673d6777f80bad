// The operator console end to end in a real chromium against a real VTN: log in, create a
// program and an event with three intervals, see it on the timeline, see a VEN's report plotted,
// cancel the event. Screenshots of the main views go to test-artifacts/console/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Receiver, startReceiver, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Ven2b } from "../../packages/vtn/test/oadr2b/client.ts";
import { ARTIFACTS, ensureConsoleBuilt, launchChromium } from "./browser.ts";

let vtn: TestVtn;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let origin: string;
let receiver: Receiver;
const offOrigin: string[] = [];
const pageErrors: string[] = [];
const ids: { program?: string; event?: string } = {};

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (view: string) => page.goto(`${origin}/console/#/${view}`);

beforeAll(async () => {
  await ensureConsoleBuilt();
  // A webhook receiver that passes the echo check and then fails every notification (HTTP 500),
  // so that the console has dead letters to show.
  receiver = await startReceiver({ answer: () => ({ status: 500 }) });
  const callbackUrl = `${receiver.url}/hook`;
  vtn = await startTestVtn({ webhookAllowHttp: true, webhookAllowPrivate: true, webhookMaxAttempts: 1 });
  origin = new URL(vtn.url).origin;
  const sub = await vtn.call(await vtn.token(vtn.vens[0]), "POST", "/subscriptions", {
    clientName: "site-1 webhook",
    objectOperations: [{ objects: ["PROGRAM", "EVENT"], operations: ["CREATE", "UPDATE", "DELETE"], callbackUrl }],
  });
  if (sub.status !== 201) throw new Error(`subscription refused: ${JSON.stringify(sub.body)}`);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("blob:") && !r.url().startsWith("data:"))
      offOrigin.push(r.url());
  });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    // A refused login or a missing optional endpoint logs a failed resource load; anything else is a bug.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vtn?.close();
  await receiver?.close();
});

describe("the operator console", () => {
  test("an operator logs in with BL credentials; the token stays out of URLs and localStorage", async () => {
    await page.goto(`${origin}/console`);
    await page.getByLabel("Client ID").fill(vtn.bl.clientId);
    await page.getByLabel("Client secret").fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.locator("#login-secret-error").textContent()).toContain("wrong client_secret");
    await page.getByLabel("Client secret").fill(vtn.bl.clientSecret);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText(/Live · updated/).waitFor();
    const storage = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      url: location.href,
    }));
    expect(storage).toMatchObject({ local: 0, session: 1 });
    expect(storage.url).not.toContain("ey");
  }, 30_000);

  test("programs: a missing name is flagged beside the field, a duplicate name by the VTN's problem", async () => {
    await go("programs");
    await page.getByRole("button", { name: "New program" }).click();
    await page.getByRole("button", { name: "Create program" }).click();
    await expect.poll(() => page.locator("#pf-name-error").textContent()).toBe("enter a program name");
    await page.getByLabel("Program name").fill("Day-ahead tariff");
    await page.getByRole("button", { name: "Create program" }).click();
    await page.getByRole("rowheader", { name: "Day-ahead tariff" }).waitFor();
    const listed = await vtn.call(await vtn.token(vtn.bl), "GET", "/programs");
    ids.program = listed.body.find((p: { programName: string }) => p.programName === "Day-ahead tariff")?.id;
    expect(ids.program).toBeTruthy();

    await page.getByRole("button", { name: "New program" }).click();
    await page.getByLabel("Program name").fill("Day-ahead tariff");
    await page.getByRole("button", { name: "Create program" }).click();
    await expect
      .poll(() => page.locator("#pf-name-error").textContent())
      .toContain('a program named "Day-ahead tariff" already exists');
    await shot("programs");
    await page.getByRole("button", { name: "Discard" }).click();
  }, 30_000);

  test("an event with three intervals is created in the editor and drawn on the timeline", async () => {
    await go("events");
    await page.getByRole("button", { name: "New event" }).click();
    await page.getByLabel("Program", { exact: true }).selectOption({ label: "Day-ahead tariff" });
    await page.getByLabel("Event name").fill("Evening peak");
    await page.getByLabel("Targets").fill("demo");
    await page.getByRole("button", { name: "Add interval" }).click();
    await page.getByRole("button", { name: "Add interval" }).click();
    await page.getByLabel("Interval 0 PRICE").fill("0.21");
    await page.getByLabel("Interval 1 PRICE").fill("abc");
    await page.getByLabel("Interval 2 PRICE").fill("0.18");
    await page.getByRole("button", { name: "Add report request" }).click();
    await page.getByLabel("Report 1 payload type").fill("USAGE");
    await page.locator("#rd-0-units").selectOption("KWH");
    await page.getByRole("button", { name: "Create event" }).click();
    await expect.poll(() => page.locator("#iv-1-0-error").textContent()).toBe('PRICE takes numbers; "abc" is not one');
    await page.getByLabel("Interval 1 PRICE").fill("0.35");
    await shot("event-editor");
    await page.getByRole("button", { name: "Create event" }).click();

    const bar = page.getByRole("button", { name: /^Evening peak: 3 intervals/ });
    await bar.waitFor();
    expect(await bar.locator(".tl-value").allTextContents()).toEqual(["0.21", "0.35", "0.18"]);
    const lane = page.getByRole("group", { name: "Lane Day-ahead tariff" });
    expect(await lane.getByRole("button", { name: /^Evening peak/ }).count()).toBe(1);

    const events = await vtn.call(await vtn.token(vtn.bl), "GET", `/events?programID=${ids.program}`);
    expect(events.body).toHaveLength(1);
    ids.event = events.body[0].id;
    expect(events.body[0]).toMatchObject({
      eventName: "Evening peak",
      targets: ["demo"],
      intervalPeriod: { duration: "PT1H" },
      payloadDescriptors: [{ payloadType: "PRICE", units: "KWH", currency: "EUR" }],
      reportDescriptors: [{ payloadType: "USAGE", units: "KWH" }],
      intervals: [0.21, 0.35, 0.18].map((v, id) => ({ id, payloads: [{ type: "PRICE", values: [v] }] })),
    });

    // A 2.0b VEN opts out of the event: the BL sees it in the event's details (GET /events/{id}/opts).
    const ven2b = new Ven2b(origin, await vtn.token(vtn.vens[0]));
    const venID = (await ven2b.register()).body.venID[0];
    const opted = await ven2b.message(
      "EiOpt",
      `<oadr:oadrCreateOpt ei:schemaVersion="2.0b"><ei:optID>console-opt-1</ei:optID><ei:optType>optOut</ei:optType><ei:optReason>participating</ei:optReason><ei:venID>${venID}</ei:venID><ei:createdDateTime>2030-12-31T00:00:00Z</ei:createdDateTime><pyld:requestID>o-1</pyld:requestID><ei:qualifiedEventID><ei:eventID>${ids.event}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:eiTarget><ei:resourceID>heatpump</ei:resourceID></ei:eiTarget></oadr:oadrCreateOpt>`,
    );
    expect(opted.name).toBe("oadrCreatedOpt");

    // The editor left the new event selected: close its details, so that opening them reads the opts.
    await page.getByRole("button", { name: "Close event details" }).click();
    await bar.click();
    await page.getByRole("heading", { name: "Evening peak", level: 2 }).waitFor();
    const answers = page.getByRole("table", { name: "Opt answers of 2.0b VENs" });
    await answers.waitFor();
    expect(await answers.locator("caption").textContent()).toContain("1 VEN(s) opted out");
    expect(await answers.locator("tbody td").allTextContents()).toEqual(
      expect.arrayContaining([vtn.vens[0].venName, "opted out", "heatpump", "participating"]),
    );
    await page.getByRole("radio", { name: "Per target" }).check();
    await page
      .getByRole("group", { name: "Lane demo" })
      .getByRole("button", { name: /^Evening peak/ })
      .waitFor();
    await shot("events-timeline");
    await page.getByRole("radio", { name: "Per program" }).check();
  }, 30_000);

  test("24 hourly prices pasted at once become 24 intervals", async () => {
    await page.getByRole("button", { name: "New event" }).click();
    await page.getByLabel("Event name").fill("Tomorrow's prices");
    await page.getByRole("button", { name: "Paste a price series…" }).click();
    const prices = Array.from(
      { length: 24 },
      (_, h) => `${String(h).padStart(2, "0")}:00\t${(0.1 + h / 100).toFixed(2).replace(".", ",")}`,
    );
    await page.getByLabel(/^Prices, one per line/).fill(prices.join("\n"));
    await page.getByRole("button", { name: "Use these prices" }).click();
    expect(await page.locator("table.intervals tbody tr").count()).toBe(24);
    await page.getByRole("button", { name: "Create event" }).click();
    await page.getByRole("button", { name: /^Tomorrow's prices: \d+ intervals/ }).waitFor();
    await shot("events-per-program");
    const events = await vtn.call(await vtn.token(vtn.bl), "GET", `/events?programID=${ids.program}`);
    const pasted = events.body.find((e: { eventName: string }) => e.eventName === "Tomorrow's prices");
    expect(pasted.intervals).toHaveLength(24);
    expect(pasted.intervals[23]).toEqual({ id: 23, payloads: [{ type: "PRICE", values: [0.33] }] });
  }, 30_000);

  test("a VEN's report appears on the reports chart and table without reloading, and downloads as CSV", async () => {
    await go(`reports?event=${ids.event}`);
    await page.getByText("Nothing numeric to plot yet.").or(page.locator(".chart canvas")).first().waitFor();
    const ven = vtn.vens[0];
    const posted = await vtn.call(await vtn.token(ven), "POST", "/reports", {
      eventID: ids.event,
      clientName: ven.venName,
      reportName: "evening usage",
      payloadDescriptors: [{ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "USAGE", units: "KWH" }],
      resources: [
        {
          resourceName: "meter-1",
          intervals: [1.2, 0.4, 0.9].map((v, id) => ({ id, payloads: [{ type: "USAGE", values: [v] }] })),
        },
      ],
    });
    expect(posted.status).toBe(201);
    const legend = page.locator(".u-legend").getByText(`${ven.venName} · meter-1 · USAGE (KWH)`);
    await legend.waitFor({ timeout: 12_000 });
    expect(await page.locator(".chart canvas").count()).toBeGreaterThan(0);
    const values = page.getByRole("table", { name: "Reported values" });
    expect(await values.locator("td.num").allTextContents()).toEqual(["1.2 KWH", "0.4 KWH", "0.9 KWH"]);
    await shot("reports");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path()) as string, "utf8").split("\r\n");
    expect(csv[0]).toBe(
      "report_id,report_name,client_name,client_id,event_id,resource,interval_id,start,end,payload_type,values,units",
    );
    expect(csv.slice(1, 4).map((l) => l.split(",").slice(5, 7).concat(l.split(",").slice(9)))).toEqual([
      ["meter-1", "0", "USAGE", "1.2", "KWH"],
      ["meter-1", "1", "USAGE", "0.4", "KWH"],
      ["meter-1", "2", "USAGE", "0.9", "KWH"],
    ]);
  }, 30_000);

  test("VENs: last seen from reports, a new ven object, targets granted", async () => {
    await go("vens");
    const row = page.getByRole("row", { name: new RegExp(vtn.vens[0].venName) });
    await expect.poll(() => row.textContent()).toMatch(/report \d+ s ago/);
    await page.getByRole("button", { name: "New VEN" }).click();
    await page.getByLabel("VEN name").fill("site-7");
    await page.getByLabel("Client ID").fill("ven-site-7");
    await page.getByLabel("Granted targets").fill("demo, north");
    await page.getByRole("button", { name: "Create VEN" }).click();
    await page.getByRole("rowheader", { name: "site-7" }).waitFor();

    await page.getByRole("button", { name: `Grant targets to ${vtn.vens[1].venName}` }).click();
    await page.getByLabel(`Targets of ${vtn.vens[1].venName}`).fill(`demo, ${vtn.vens[1].venName}, north`);
    await page.getByRole("button", { name: "Save targets" }).click();
    await page.getByRole("button", { name: "Save targets" }).waitFor({ state: "detached" });
    const bl = await vtn.token(vtn.bl);
    expect((await vtn.call(bl, "GET", `/vens/${vtn.vens[1].venID}`)).body.targets).toEqual([
      "demo",
      vtn.vens[1].venName,
      "north",
    ]);
    expect((await vtn.call(bl, "GET", "/vens?venName=site-7")).body[0]).toMatchObject({
      clientID: "ven-site-7",
      targets: ["demo", "north"],
    });
    await shot("vens");
  }, 30_000);

  test("subscriptions are listed with the delivery state of their notifications; dead letters can be retried", async () => {
    await go("subscriptions");
    await page.getByRole("rowheader", { name: "site-1 webhook" }).waitFor();
    await page.getByLabel("State").selectOption("DEAD");
    await page.locator(".status.dead").first().waitFor({ timeout: 12_000 });
    expect(await page.locator("td.url code").first().textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook$/);
    await shot("subscriptions");
    await page.getByRole("button", { name: "Retry all dead letters" }).click();
    await page.getByText(/^\d+ dead letters put back in the queue\.$/).waitFor();
  }, 30_000);

  test("cancelling the event asks first, then deletes it from the VTN and the timeline", async () => {
    await go("events");
    await page.getByRole("button", { name: "Cancel event Evening peak" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel event Evening peak?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await vtn.call(await vtn.token(vtn.bl), "GET", `/events/${ids.event}`)).status).toBe(200);

    await page.getByRole("button", { name: "Cancel event Evening peak" }).click();
    await dialog.getByRole("button", { name: "Cancel event" }).click();
    await page.getByRole("button", { name: /^Evening peak: / }).waitFor({ state: "detached" });
    expect((await vtn.call(await vtn.token(vtn.bl), "GET", `/events/${ids.event}`)).status).toBe(404);
  }, 30_000);

  test("the views are keyboard reachable and fit a narrow window", async () => {
    await go("events");
    await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.textContent === "Programs");
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Programs", level: 1 }).waitFor();

    await page.setViewportSize({ width: 400, height: 800 });
    for (const view of ["events", "reports", "vens"]) {
      await go(view);
      await page.locator("main h1").waitFor();
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter(
            (el) =>
              el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".table-wrap, .timeline, .nav"),
          )
          .map((el) => `${el.tagName}.${el.className}`),
      );
      expect(wide, `${view} at 400 px`).toEqual([]);
    }
    await go("events");
    await shot("events-narrow");
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 30_000);

  test("log out clears the session; nothing was loaded from another origin and the page logged no errors", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await shot("login");
    expect(offOrigin).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
