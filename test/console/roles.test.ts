// The console respects the IEC 62351-8 roles (issue 15): a viewer's token carries no write scope,
// so the console shows no button to create, edit or delete; the VTN refuses such writes anyway.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureConsoleBuilt, launchChromium } from "./browser.ts";

let vtn: TestVtn;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt();
  vtn = await startTestVtn();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vtn?.close();
});

describe("the console and the roles", () => {
  test("a viewer logs in and sees programs and VENs but no New program, Edit or Delete button", async () => {
    const bl = await vtn.token(vtn.bl);
    const made = await vtn.call(bl, "POST", "/programs", { programName: "seen-by-viewer" });
    expect(made.status).toBe(201);
    const viewer = await vtn.vtn.clients.add({ role: "viewer", name: "viewer-console" });

    const page = await browser.newPage();
    page.setDefaultTimeout(8000);
    const origin = new URL(vtn.url).origin;
    await page.goto(`${origin}/console`);
    await page.getByLabel("Client ID").fill(viewer.clientId);
    await page.getByLabel("Client secret").fill(viewer.clientSecret);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText(/Live · updated/).waitFor();

    await page.goto(`${origin}/console/#/programs`);
    await page.getByRole("rowheader", { name: "seen-by-viewer" }).waitFor();
    expect(await page.getByRole("button", { name: "New program" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^(Edit|Delete) program/ }).count()).toBe(0);

    await page.goto(`${origin}/console/#/events`);
    await page.getByRole("heading", { name: "Events", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "New event" }).count()).toBe(0);

    await page.goto(`${origin}/console/#/vens`);
    await page.getByRole("rowheader", { name: vtn.vens[0]?.venName ?? "" }).waitFor();
    expect(await page.getByRole("button", { name: "New VEN" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Grant targets/ }).count()).toBe(0);
    await page.close();
  }, 60_000);
});
