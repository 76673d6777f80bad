// Congestion management by a DSO (IEC TR 62746-2, use case "congestion management" / grid
// capacity limitation): the feeder of four homes would be overloaded in the evening when the cars
// come home; the DSO sends one event to the feeder group with an IMPORT_CAPACITY_LIMIT per
// connection (Definition.md §Event Payload Enumerations) and reads the usage reports back.
import { blClient, enroll, ScenarioFleet, type SiteSpec } from "./fleet.ts";
import { energyKwh, hourlyChart, inForce, peak, scenarioSeries, total, within } from "./series.ts";
import { check, published, type Scenario } from "./types.ts";

const START = new Date("2030-01-15T15:00:00Z");
const EVENT_START = new Date("2030-01-15T17:00:00Z");
const EVENT_END = new Date("2030-01-15T20:00:00Z");
const END = new Date("2030-01-15T21:00:00Z");
const FEEDER_LIMIT_KW = 16;

export const HOMES = (prefix: string): SiteSpec[] =>
  [0, 1, 2, 3].map((i) => ({
    name: `${prefix}-${i + 1}`,
    resources: [
      { type: "load", name: "house", averageKw: 0.6 + 0.1 * i },
      {
        type: "ev",
        name: "ev-charger",
        maxKw: 11,
        sessions: [{ arrive: 16.5 + 0.25 * i, depart: 7.5, energyKwh: 18 }],
      },
      { type: "heatpump", name: "heat-pump", maxKw: 3, setpointC: 21, comfortMinC: 19.5, comfortMaxC: 22.5 },
      ...(i % 2 === 0
        ? [
            {
              type: "battery",
              name: "battery",
              capacityKwh: 10,
              maxChargeKw: 5,
              maxDischargeKw: 5,
              socPercent: 60,
            } as const,
          ]
        : []),
    ],
    gridImportKw: 17,
  }));

export const congestion: Scenario = {
  name: "congestion",
  title: "DSO congestion management: an import limit on a feeder group",
  useCase: "IEC TR 62746-2 congestion management (grid capacity limitation by the DSO)",
  vens: 4,
  async run(vtn, log) {
    const creds = vtn.vens.slice(0, 4);
    await enroll(vtn, creds, () => ["feeder-7"]);
    const bl = blClient(vtn);
    const program = await bl.programs.create({ programName: `dso-congestion-${Date.now()}` });
    const perSite = FEEDER_LIMIT_KW / creds.length;
    const event = await bl.events.create({
      programID: program.id,
      eventName: "feeder-7 evening limit",
      priority: 1,
      targets: ["feeder-7"],
      intervalPeriod: { start: EVENT_START.toISOString(), duration: "PT3H" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [perSite] }] }],
      reportDescriptors: [{ payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH", frequency: 1 }],
    });
    log(
      `DSO: IMPORT_CAPACITY_LIMIT ${perSite} kW per connection (feeder ${FEEDER_LIMIT_KW} kW) to feeder-7, 17:00-20:00Z`,
    );
    const fleet = new ScenarioFleet(vtn, START);
    const homes = HOMES("feeder7-home");
    fleet.addSites(homes, creds, START);
    await fleet.startAll();
    await fleet.runUntil(END, (r) =>
      log(
        `${r.t.slice(11, 16)}Z feeder ${total(r.netKw).toFixed(1)} kW (without the limit ${total(r.baselineKw).toFixed(1)} kW)`,
      ),
    );
    await fleet.stop();
    const during = within(fleet.rows, EVENT_START, EVENT_END);
    const feederPeak = peak(during, (r) => total(r.netKw));
    const baselinePeak = peak(during, (r) => total(r.baselineKw));
    const reports = await bl.reports.all({ eventID: event.id } as never);
    const chart = hourlyChart(fleet.rows, { feeder: (r) => total(r.netKw), baseline: (r) => total(r.baselineKw) });
    for (const line of chart) log(line);
    return {
      fleet,
      sites: homes.map((h) => h.name),
      created: published(program, event),
      outcome: {
        feederLimitKw: FEEDER_LIMIT_KW,
        feederPeakDuringEventKw: round1(feederPeak),
        baselinePeakDuringEventKw: round1(baselinePeak),
        energyDuringEventKwh: round1(energyKwh(during, (r) => total(r.netKw))),
        baselineEnergyDuringEventKwh: round1(energyKwh(during, (r) => total(r.baselineKw))),
        // The cars charge once the limit ends: the DSO sees the rebound here.
        peakAfterEventKw: round1(peak(within(fleet.rows, EVENT_END, END), (r) => total(r.netKw))),
        reportsReceived: reports.length,
        chart,
      },
      series: scenarioSeries(
        fleet.rows,
        `feeder-7 (${homes.length} homes)`,
        [
          { name: "feeder", role: "net", of: (r) => total(r.netKw) },
          { name: "without the limit", role: "baseline", of: (r) => total(r.baselineKw) },
        ],
        [
          {
            name: `feeder limit (${perSite} kW per connection)`,
            kind: "import-limit",
            of: inForce(EVENT_START, EVENT_END, FEEDER_LIMIT_KW),
          },
        ],
      ),
      checks: [
        check(
          "the feeder's import stays under the limit during the event",
          feederPeak <= FEEDER_LIMIT_KW + 1e-6,
          `peak ${feederPeak.toFixed(2)} kW, limit ${FEEDER_LIMIT_KW} kW`,
        ),
        check(
          "without the limit the feeder would have been overloaded",
          baselinePeak > FEEDER_LIMIT_KW,
          `baseline peak ${baselinePeak.toFixed(2)} kW`,
        ),
        check("the DSO received usage reports from the sites", reports.length > 0, `${reports.length} reports`),
      ],
    };
  },
};

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
