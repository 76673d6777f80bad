// 2.0b in the audit trail (audit/requests.ts): its reads are POSTs, so the binding marks them. A
// pull VEN's oadrPoll, oadrQueryRegistration and oadrRequestEvent are not recorded, as 3.1's GETs
// are not; its registration, under its own client id, and a refused token are.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ven2b } from "./client.ts";

let t: TestVtn;
beforeAll(async () => {
  t = await startTestVtn();
});
afterAll(() => t.close());

describe("2.0b and the audit trail", () => {
  it("records the VEN's writes and refusals, not its polls and queries", async () => {
    const origin = new URL(t.url).origin;
    const ven = new Ven2b(origin, await t.token(t.vens[0]));
    const reg = await ven.register();
    const venID = String(reg.body.venID);
    expect(venID).not.toBe("");
    const polled = await ven.drain(venID);
    expect(polled.length).toBeGreaterThan(1); // the VTN's oadrRegisterReport, ..., then nothing due
    expect(polled.at(-1)?.name).toBe("oadrResponse");
    await ven.message(
      "EiRegisterParty",
      `<oadr:oadrQueryRegistration ei:schemaVersion="2.0b"><pyld:requestID>q-1</pyld:requestID></oadr:oadrQueryRegistration>`,
    );
    await ven.message(
      "EiEvent",
      `<oadr:oadrRequestEvent ei:schemaVersion="2.0b"><pyld:eiRequestEvent><pyld:requestID>r-1</pyld:requestID><ei:venID>${venID}</ei:venID></pyld:eiRequestEvent></oadr:oadrRequestEvent>`,
    );
    const stranger = new Ven2b(origin, "not-a-token");
    expect((await stranger.poll(venID)).status).toBe(401);

    const auditor = await t.token(await t.vtn.clients.add({ role: "auditor", name: "2b-auditor" }));
    await t.vtn.audit.flush();
    const rows = (await t.call(auditor, "GET", "/gridlink/audit?limit=1000")).body as Array<{
      clientId: string;
      action: string;
      target: string | null;
      outcome: string;
    }>;
    const of2b = rows.filter((r) => r.target?.startsWith("/OpenADR2/"));
    const mine = of2b.filter((r) => r.clientId === t.vens[0].clientId).map((r) => `${r.target} ${r.outcome}`);
    // The registration only: the polls, a query and an event request are reads.
    expect(mine).toEqual(["/OpenADR2/Simple/2.0b/EiRegisterParty 200"]);
    expect(of2b.filter((r) => r.clientId === "anonymous").map((r) => `${r.target} ${r.outcome}`)).toEqual([
      "/OpenADR2/Simple/2.0b/OadrPoll 401",
    ]);
  });
});
