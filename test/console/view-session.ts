// What the view tests share: a real VTN on port 0 with a program, Debian's chromium at 1280×800
// logged in as the VTN's BL client, screenshots into test/console/artifacts/ (gitignored), and the
// 400 px check (nothing outside a table frame or the navigation reaches past the window's edge).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClientCredentials } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { ensureConsoleBuilt, launchChromium } from "./browser.ts";

export const SHOTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
export const H = 3_600_000;
export const iso = (t: number) => new Date(t).toISOString();
export const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

export async function login(p: Page, at: string, c: ClientCredentials) {
  await p.goto(`${at}/console`);
  await p.getByLabel("Client ID").fill(c.clientId);
  await p.getByLabel("Client secret").fill(c.clientSecret);
  await p.getByRole("button", { name: "Log in" }).click();
  // The first load of the page may wait for a loaded machine (test files run side by side).
  await p.getByText(/Live · updated/).waitFor({ timeout: 30_000 });
}

/** What scrolls sideways at 400 px (outside the table frames, which scroll inside themselves). */
export async function sidewaysOverflow(p: Page): Promise<string | undefined> {
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

/**
 * At 400 px wide: `steps` brings the page into each state to look at and calls `check(name)` there;
 * each is screenshot as narrow-<name>. Gives what scrolled sideways (nothing, when all is well),
 * then goes back to 1280 px.
 */
export async function atNarrow(
  p: Page,
  steps: (check: (name: string) => Promise<void>) => Promise<void>,
): Promise<string[]> {
  await p.setViewportSize({ width: 400, height: 800 });
  const overflows: string[] = [];
  try {
    await steps(async (name) => {
      await p.waitForTimeout(300);
      const o = await sidewaysOverflow(p);
      if (o) overflows.push(`${name}: ${o}`);
      await shot(p, `narrow-${name}`);
    });
  } finally {
    await p.setViewportSize({ width: 1280, height: 800 });
  }
  return overflows;
}

export interface ViewSession {
  vtn: TestVtn;
  browser: Browser;
  page: Page;
  origin: string;
  /** A BL token for API calls. */
  bl: string;
  programID: string;
  /** Errors the pages logged; a test ends by asserting there were none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A VTN with one program (`programName`), and a page logged in to its console. */
export async function startViewSession(programName: string): Promise<ViewSession> {
  mkdirSync(SHOTS, { recursive: true });
  await ensureConsoleBuilt();
  const vtn = await startTestVtn();
  const origin = new URL(vtn.url).origin;
  const bl = await vtn.token(vtn.bl);
  const programID = (await vtn.call(bl, "POST", "/programs", { programName })).body.id;
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(8000);
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await login(page, origin, vtn.bl);
  return {
    vtn,
    browser,
    page,
    origin,
    bl,
    programID,
    pageErrors,
    async close() {
      await browser.close();
      await vtn.close();
    },
  };
}

/** A ViewSession for the tests of one file: started before them, closed after them. */
export function useViewSession(programName: string): ViewSession {
  const s = {} as ViewSession;
  beforeAll(async () => {
    Object.assign(s, await startViewSession(programName));
  }, 120_000);
  afterAll(() => s.close?.());
  return s;
}
