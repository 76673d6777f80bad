// Emergency curtailment with opt-outs (IEC TR 62746-2, use case "emergency / critical peak"
// load reduction by the grid operator): one high-priority IMPORT_CAPACITY_LIMIT to every site of
// the zone. The homes comply; a bakery, an OpenADR 2.0b VEN (IEC 62746-10-1) whose ovens cannot
// stop, opts out (oadrCreateOpt optOut), which the operator reads beside the event
// (GET /events/{id}/opts). One core, two profiles.
import { round1 } from "./congestion.ts";
import { blClient, blGet, enroll, ScenarioFleet, type SiteSpec } from "./fleet.ts";
import { energyKwh, hourlyChart, inForce, peak, scenarioSeries, total, within } from "./series.ts";
import { check, published, type Scenario } from "./types.ts";

const START = new Date("2030-01-15T16:00:00Z");
const EVENT_START = new Date("2030-01-15T17:00:00Z");
const EVENT_END = new Date("2030-01-15T18:00:00Z");
const END = new Date("2030-01-15T19:00:00Z");
const LIMIT_KW = 2;

export const emergency: Scenario = {
  name: "emergency",
  title: "Emergency curtailment of a zone, with an opt-out",
  useCase: "IEC TR 62746-2 emergency load reduction (critical situation in the grid), opt-out by a customer",
  vens: 4,
  async run(vtn, log) {
    const creds = vtn.vens.slice(0, 4);
    await enroll(vtn, creds, () => ["zone-north"]);
    const bl = blClient(vtn);
    const program = await bl.programs.create({ programName: `emergency-${Date.now()}` });
    const event = await bl.events.create({
      programID: program.id,
      eventName: "zone-north emergency",
      priority: 0,
      targets: ["zone-north"],
      intervalPeriod: { start: EVENT_START.toISOString(), duration: "PT1H" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [LIMIT_KW] }] }],
    });
    log(
      `grid operator: emergency IMPORT_CAPACITY_LIMIT ${LIMIT_KW} kW per site to zone-north, 17:00-18:00Z, priority 0`,
    );
    const homes: SiteSpec[] = [0, 1, 2].map((i) => ({
      name: `north-home-${i + 1}`,
      resources: [
        { type: "load", name: "house", averageKw: 0.5 + 0.1 * i },
        { type: "heatpump", name: "heat-pump", maxKw: 3, setpointC: 21, comfortMinC: 19, comfortMaxC: 23 },
        {
          type: "ev",
          name: "ev-charger",
          maxKw: 11,
          sessions: [{ arrive: 16.5 + 0.25 * i, depart: 7.5, energyKwh: 15 }],
        },
      ],
      gridImportKw: 17,
    }));
    const bakery: SiteSpec = {
      name: "north-bakery",
      resources: [{ type: "load", name: "ovens", averageKw: 6 }],
      gridImportKw: 25,
      profile: "2.0b",
    };
    const fleet = new ScenarioFleet(vtn, START);
    fleet.addSites([...homes, bakery], creds, START);
    await fleet.startAll();
    await fleet.runUntil(END, (r) =>
      log(
        `${r.t.slice(11, 16)}Z zone ${total(r.netKw).toFixed(1)} kW (without the event ${total(r.baselineKw).toFixed(1)} kW)`,
      ),
    );
    await fleet.stop();
    const venIDs = fleet.venIDs();
    const bakeryVen = venIDs[3];
    const opts = (await blGet(vtn, `/events/${event.id}/opts`)) as Array<{ venID: string; optType: string }>;
    const optedOut = opts.filter((o) => o.optType === "optOut").map((o) => o.venID);
    const during = within(fleet.rows, EVENT_START, EVENT_END);
    const homesIdx = [0, 1, 2];
    const homePeak = peak(during, (r) => Math.max(...homesIdx.map((i) => r.netKw[i])));
    const shedKwh = energyKwh(during, (r) => total(r.baselineKw, homesIdx) - total(r.netKw, homesIdx));
    const chart = hourlyChart(fleet.rows, { zone: (r) => total(r.netKw), without: (r) => total(r.baselineKw) });
    for (const line of chart) log(line);
    return {
      fleet,
      sites: [...homes.map((h) => h.name), `${bakery.name} (2.0b)`],
      created: published(program, event),
      outcome: {
        limitPerSiteKw: LIMIT_KW,
        highestHomeDuringEventKw: round1(homePeak),
        shedByHomesKwh: round1(shedKwh),
        optedOut,
        zonePeakDuringEventKw: round1(peak(during, (r) => total(r.netKw))),
        chart,
      },
      // The limit is per site: the chart follows the highest home against it, and the bakery.
      series: scenarioSeries(
        fleet.rows,
        "zone-north (3 homes and a bakery)",
        [
          { name: "highest home", role: "net", of: (r) => Math.max(...homesIdx.map((i) => r.netKw[i])) },
          {
            name: "highest home without the event",
            role: "baseline",
            of: (r) => Math.max(...homesIdx.map((i) => r.baselineKw[i])),
          },
          { name: "bakery (2.0b, opted out)", role: "site", of: (r) => r.netKw[3] },
        ],
        [{ name: "limit per site", kind: "import-limit", of: inForce(EVENT_START, EVENT_END, LIMIT_KW) }],
      ),
      checks: [
        check(
          "every home stays under the emergency limit",
          homePeak <= LIMIT_KW + 1e-6,
          `highest ${homePeak.toFixed(2)} kW, limit ${LIMIT_KW} kW`,
        ),
        check("the homes shed load against their baseline", shedKwh > 0.5, `${shedKwh.toFixed(2)} kWh`),
        check(
          "the bakery (2.0b) opted out, and only it",
          optedOut.length === 1 && optedOut[0] === bakeryVen,
          `opt-outs from ${JSON.stringify(optedOut)}, bakery is ${bakeryVen}`,
        ),
      ],
    };
  },
};
