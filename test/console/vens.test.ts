// VENs and resources in the console (issue 14) in a real chromium against a real VTN on port 0:
// created, renamed (a duplicate name refused with the VTN's detail) and deleted, checked through
// the API; a viewer sees none of those buttons; at 400 px the editors scroll no view sideways.
// Screenshots go to test/console/artifacts/ (gitignored).
import { describe, expect, test } from "vitest";
import { atNarrow, login, shot, useViewSession } from "./view-session.ts";

const s = useViewSession("feeder-9");

describe("VENs and resources in the console", () => {
  test("create, rename and delete a VEN and a resource; a refusal shows the problem's detail", async () => {
    const { vtn, page, origin, bl } = s;
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
    const { vtn, browser, origin } = s;
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

describe("at 400 px", () => {
  test("the VEN editors scroll no view sideways", async () => {
    const { vtn, page, origin, pageErrors } = s;
    expect(
      await atNarrow(page, async (check) => {
        await page.goto(`${origin}/console/#/vens`);
        await page.getByRole("button", { name: "New resource" }).click();
        await page.getByRole("button", { name: `Rename VEN ${vtn.vens[0].venName}` }).click();
        await check("vens-edit");
      }),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
