// The fleet report of the Reports view (issue 14) in a real chromium against a real VTN on port 0:
// two sites (one with two resources, one with an aggregate) against a kW limit — total, over,
// headroom, baseline, delivered, per site (each site against the limit itself) and per resource;
// an event with import and export limits (a limit and a headroom column each, a net export over
// the export limit); at 400 px the view does not scroll sideways. Screenshots go to
// test/console/artifacts/ (gitignored).
import { describe, expect, test } from "vitest";
import { atNarrow, iso, shot, useViewSession } from "./view-session.ts";

const s = useViewSession("feeder-9");

describe("reports of a fleet", () => {
  test("per event interval: the sites' total against the limit in its units, baseline and delivered; per site and per resource on demand", async () => {
    const { vtn, page, origin, bl, programID } = s;
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
        // Each site against the limit itself (30 kW per site): its own headroom, neither over.
        [`↳ ${one}`, "", "20", "10", "26", "6", ""],
        [`↳ ${two}`, "", "15", "15", "25", "10", ""],
      ]);
    await shot(page, "reports-fleet");
    await page.getByLabel("Show").selectOption("resource");
    await expect
      .poll(() => table.locator("tr.part td:first-child").allTextContents())
      .toEqual([`↳ ${one} · battery`, `↳ ${one} · heatpump`, `↳ ${two} · AGGREGATED_REPORT`]);
  }, 30_000);

  test("an event with import and export limits: a column pair each; the net export against the export limit", async () => {
    const { vtn, page, origin, bl, programID } = s;
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
      .toEqual(["30", "10", "-14 export over", "44", "-4", "—", "—", "1 (1 over)"]);
    // The one site, on its own, exports 14 against 10 too.
    await page.getByLabel("Show").selectOption("site");
    await expect
      .poll(() => table.locator("tr.part td").allTextContents())
      .toEqual([`↳ ${vtn.vens[0].venName}`, "", "", "-14 export over", "44", "-4", "—", "—", ""]);
  }, 30_000);
});

describe("at 400 px", () => {
  test("the fleet report scrolls no view sideways", async () => {
    const { page, origin, pageErrors } = s;
    expect(
      await atNarrow(page, async (check) => {
        await page.goto(`${origin}/console/#/reports`);
        await page.getByRole("heading", { name: "Fleet against the limit" }).waitFor();
        await page.getByLabel("Show").selectOption("resource");
        await check("reports-fleet");
      }),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
