// The Events view of issue 14 in a real chromium against a real VTN on port 0: the week and month
// calendar (each day's events with their hours, an overnight event on both days, navigation,
// details on click) and the timeline (readable labels at the default span, a colour legend, the
// span box in step with Fit events); at 400 px none of them scrolls sideways. Screenshots go to
// test/console/artifacts/ (gitignored).
import { describe, expect, test } from "vitest";
import { atNarrow, H, iso, shot, useViewSession } from "./view-session.ts";

const s = useViewSession("feeder-9");

describe("the events calendar and timeline", () => {
  test("week and month list each day's events with their hours; an event opens its details", async () => {
    const { vtn, page, origin, bl, programID } = s;
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
    const { page } = s;
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

describe("at 400 px", () => {
  test("the calendar and the timeline scroll no view sideways", async () => {
    const { page, origin, pageErrors } = s;
    expect(
      await atNarrow(page, async (check) => {
        await page.goto(`${origin}/console/#/events`);
        await page.getByLabel("Week").check();
        await page.locator(".cal-day").first().waitFor();
        await check("calendar-week");
        await page.getByLabel("Month").check();
        await check("calendar-month");
        await page.getByLabel("Timeline").check();
        await check("timeline-legend");
      }),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
