// The Chain view (issue 12) in a real chromium: a real gridlink node below a real VTN on port 0,
// the chain upstream event → downstream events → members → reports reached from a downstream
// event's details, its links followed; at 400 px it does not scroll sideways. Screenshots go to
// test/console/artifacts/ (gitignored).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GridlinkNode, parseNodeConfig } from "@gridlink/node";
import type { ClientCredentials } from "@gridlink/vtn";
import { jsonCall, tokenSource, until } from "@gridlink/vtn/testing";
import { describe, expect, test } from "vitest";
import { iso, login, shot, sidewaysOverflow, useViewSession } from "./view-session.ts";

const s = useViewSession("feeder-9");

describe("the chain of a gridlink node", () => {
  test("upstream event → downstream events → members → their reports, reached from an event's details", async () => {
    const { vtn, browser, bl, programID, pageErrors } = s;
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
    const dataDir = mkdtempSync(join(tmpdir(), "gridlink-chain-"));
    const node = await GridlinkNode.start(
      parseNodeConfig(
        {
          name: "aggregator",
          upstream: { url: vtn.url, ...creds, intake: { mode: "auto", pollSeconds: 0.5 } },
          vtn: {
            host: "127.0.0.1",
            port: 0,
            mqttPort: 0,
            dataDir,
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
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

test("the pages logged no errors", () => {
  expect(s.pageErrors).toEqual([]);
});
