// The configured mapping (cim-mapping.json in the data dir): an operator's own EndDeviceControlType
// code and program rules take effect; a wrong file stops the start with a message per value.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestVtn, TEST_VTN_CONFIG, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVtn } from "../../src/index.ts";
import { control, controls, list, postCim, request } from "./cim-client.ts";

let t: TestVtn;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gridlink-cim-map-"));
  writeFileSync(
    join(dir, "cim-mapping.json"),
    JSON.stringify({
      controlTypes: { "3.15.0.9": "IMPORT_CAPACITY_LIMIT" },
      randomizeStart: "PT2M",
      programs: [{ maxDrProgramLevel: 0, programName: "dso-emergency" }, { programName: "dso-limits" }],
    }),
  );
  t = await startTestVtn({ dataDir: dir });
  const bl = await t.token(t.bl);
  const v = t.vens[0];
  await t.call(bl, "PUT", `/vens/${v.venID}`, {
    venName: v.venName,
    clientID: v.clientId,
    targets: ["demo", v.venName, "DG2"],
  });
}, 30_000);

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cim-mapping.json", () => {
  it("a configured code and program rules decide payload type and program", async () => {
    const bl = await t.token(t.bl);
    const randomised = control({ mRID: "cfg-1", type: "3.15.0.9", priceSignal: 6, drProgramLevel: 0 }).replace(
      "</m:EndDeviceGroups>",
      "</m:EndDeviceGroups><m:primaryDeviceTiming><m:duration>30</m:duration><m:randomisation>start</m:randomisation></m:primaryDeviceTiming>",
    );
    const r = await postCim(
      t,
      bl,
      request(
        { verb: "create", noun: "EndDeviceControls" },
        {
          payload: controls(
            randomised,
            control({ mRID: "cfg-2", type: "3.15.0.9", priceSignal: 2, drProgramLevel: 2 }),
          ),
        },
      ),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    const ids = list(r.msg.Reply.ID).filter((i: { "@objectType": string }) => i["@objectType"] === "EVENT");
    const [e1, e2] = await Promise.all(
      ids.map(async (i: { "#text": string }) => (await t.call(bl, "GET", `/events/${i["#text"]}`)).body),
    );
    const programs = (await t.call(bl, "GET", "/programs")).body as Array<{ id: string; programName: string }>;
    const nameOf = (id: string) => programs.find((p) => p.id === id)?.programName;
    expect(e1.intervals[0].payloads[0]).toEqual({ type: "IMPORT_CAPACITY_LIMIT", values: [6] });
    expect(e1.intervalPeriod).toMatchObject({ duration: "PT30M", randomizeStart: "PT2M" });
    expect(nameOf(e1.programID)).toBe("dso-emergency");
    expect(nameOf(e2.programID)).toBe("dso-limits");
  });

  it("a wrong file stops the start, naming each wrong value", async () => {
    const bad = mkdtempSync(join(tmpdir(), "gridlink-cim-bad-"));
    try {
      writeFileSync(
        join(bad, "cim-mapping.json"),
        JSON.stringify({ controlTypes: { "1.2.3.4": "LOUDNESS" }, randomizeStart: "soon", colour: "red" }),
      );
      const err = await createVtn({ ...TEST_VTN_CONFIG, dataDir: bad }).then(
        (v) => v.close().then(() => undefined),
        (e: Error) => e,
      );
      expect(err?.message).toContain("controlTypes.1.2.3.4: must be one of");
      expect(err?.message).toContain("randomizeStart: must be an ISO 8601 duration");
      expect(err?.message).toContain("colour: unknown setting");
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
