// Time-of-use / dynamic price with load shifting (IEC TR 62746-2, use case "price signal" /
// tariff based demand response): the supplier publishes tomorrow's hourly PRICE (Definition.md
// §Event Payload Enumerations) to its dynamic-tariff customers; the homes' CEMS move car charging
// and battery use to the cheap hours. The outcome compares cost and peak energy with the twins
// that ignore the price.
import { round1 } from "./congestion.ts";
import { blClient, enroll, ScenarioFleet, type SiteSpec, type StepRow } from "./fleet.ts";
import { energyKwh, hourlyChart, scenarioSeries, total, within } from "./series.ts";
import { check, published, type Scenario } from "./types.ts";

const START = new Date("2030-01-15T00:00:00Z");
const END = new Date("2030-01-16T00:00:00Z");
const PEAK_FROM = new Date("2030-01-15T17:00:00Z");
const PEAK_TO = new Date("2030-01-15T21:00:00Z");

/** EUR/kWh by hour of the day. */
export const PRICES = Array.from({ length: 24 }, (_, h) => (h < 6 ? 0.12 : h < 17 ? 0.25 : h < 21 ? 0.45 : 0.2));

const priceAt = (r: StepRow) => PRICES[new Date(r.t).getUTCHours()];

export const tou: Scenario = {
  name: "tou",
  title: "Dynamic price: hourly tariff, loads shift to the cheap hours",
  useCase: "IEC TR 62746-2 price signal (time-of-use / dynamic tariff) with load shifting",
  vens: 4,
  async run(vtn, log) {
    const creds = vtn.vens.slice(0, 4);
    await enroll(vtn, creds, () => ["tariff-dynamic"]);
    const bl = blClient(vtn);
    const program = await bl.programs.create({ programName: `dynamic-tariff-${Date.now()}` });
    const event = await bl.events.create({
      programID: program.id,
      eventName: "day-ahead prices 2030-01-15",
      targets: ["tariff-dynamic"],
      intervalPeriod: { start: START.toISOString(), duration: "PT1H" },
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
      ],
      intervals: PRICES.map((p, id) => ({ id, payloads: [{ type: "PRICE", values: [p] }] })),
    });
    log(`supplier: 24 hourly PRICE values to tariff-dynamic (${Math.min(...PRICES)}-${Math.max(...PRICES)} EUR/kWh)`);
    const fleet = new ScenarioFleet(vtn, START);
    const homes: SiteSpec[] = [0, 1, 2, 3].map((i) => ({
      name: `tariff-home-${i + 1}`,
      resources: [
        { type: "load", name: "house", averageKw: 0.6 + 0.1 * i },
        {
          type: "ev",
          name: "ev-charger",
          maxKw: 7.4,
          sessions: [{ arrive: 17 + 0.5 * i, depart: 7.5, energyKwh: 15 }],
        },
        ...(i < 3
          ? [
              {
                type: "battery",
                name: "battery",
                capacityKwh: 10,
                maxChargeKw: 4,
                maxDischargeKw: 4,
                socPercent: 30,
              } as const,
            ]
          : []),
      ],
      gridImportKw: 17,
    }));
    fleet.addSites(homes, creds, START);
    await fleet.startAll();
    await fleet.runUntil(END, (r) =>
      new Date(r.t).getUTCHours() % 3 === 0
        ? log(
            `${r.t.slice(11, 16)}Z price ${priceAt(r)}  homes ${total(r.netKw).toFixed(1)} kW (ignoring the price ${total(r.baselineKw).toFixed(1)} kW)`,
          )
        : undefined,
    );
    await fleet.stop();
    const cost = energyKwh(fleet.rows, (r) => priceAt(r) * Math.max(0, total(r.netKw)));
    const baselineCost = energyKwh(fleet.rows, (r) => priceAt(r) * Math.max(0, total(r.baselineKw)));
    const peakRows = within(fleet.rows, PEAK_FROM, PEAK_TO);
    const peakKwh = energyKwh(peakRows, (r) => Math.max(0, total(r.netKw)));
    const baselinePeakKwh = energyKwh(peakRows, (r) => Math.max(0, total(r.baselineKw)));
    const dayKwh = energyKwh(fleet.rows, (r) => total(r.netKw));
    const baselineDayKwh = energyKwh(fleet.rows, (r) => total(r.baselineKw));
    const chart = hourlyChart(fleet.rows, { homes: (r) => total(r.netKw), ignoring: (r) => total(r.baselineKw) }, 30);
    for (const line of chart) log(line);
    return {
      fleet,
      sites: homes.map((h) => h.name),
      created: published(program, event),
      outcome: {
        costEur: round2(cost),
        baselineCostEur: round2(baselineCost),
        peakHoursImportKwh: round1(peakKwh),
        baselinePeakHoursImportKwh: round1(baselinePeakKwh),
        dayNetKwh: round1(dayKwh),
        baselineDayNetKwh: round1(baselineDayKwh),
        chart,
      },
      series: scenarioSeries(
        fleet.rows,
        `tariff-dynamic (${homes.length} homes)`,
        [
          { name: "homes", role: "net", of: (r) => total(r.netKw) },
          { name: "ignoring the price", role: "baseline", of: (r) => total(r.baselineKw) },
        ],
        [],
        { name: "PRICE", unit: "EUR/kWh", of: priceAt },
      ),
      checks: [
        check(
          "the homes pay less than if they ignored the price",
          cost < baselineCost,
          `${cost.toFixed(2)} EUR vs ${baselineCost.toFixed(2)} EUR`,
        ),
        check(
          "less energy is drawn in the expensive hours 17-21",
          peakKwh < baselinePeakKwh,
          `${peakKwh.toFixed(1)} kWh vs ${baselinePeakKwh.toFixed(1)} kWh`,
        ),
      ],
    };
  },
};

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
