// Market dispatch of aggregated flexibility (IEC TR 62746-2, use case "flexibility market" /
// aggregator dispatch): an aggregator offers the home batteries of four homes as one
// virtual resource behind one VEN (packages/cems VirtualResource); the market operator's accepted
// bid comes back as a DISPATCH_SETPOINT for the aggregate's net power, which the aggregator splits
// across its members and reports on as AGGREGATED_REPORT (User_Guide.md §7.7).
import { round1 } from "./congestion.ts";
import { blClient, enroll, ScenarioFleet, type SiteSpec } from "./fleet.ts";
import { energyKwh, hourlyChart, inForce, peak, scenarioSeries, within } from "./series.ts";
import { check, published, type Scenario } from "./types.ts";

const START = new Date("2030-01-15T16:00:00Z");
const EVENT_START = new Date("2030-01-15T18:00:00Z");
const EVENT_END = new Date("2030-01-15T19:00:00Z");
const END = new Date("2030-01-15T20:00:00Z");
const SETPOINT_KW = -6;
const TOLERANCE_KW = 0.5;

export const market: Scenario = {
  name: "market",
  title: "Market dispatch of an aggregator's flexibility",
  useCase: "IEC TR 62746-2 flexibility market: dispatch of aggregated flexibility through an aggregator",
  vens: 1,
  async run(vtn, log) {
    const creds = vtn.vens.slice(0, 1);
    await enroll(vtn, creds, () => ["portfolio-a"]);
    const bl = blClient(vtn);
    const program = await bl.programs.create({ programName: `flex-market-${Date.now()}` });
    const event = await bl.events.create({
      programID: program.id,
      eventName: "accepted bid 18:00-19:00",
      targets: ["portfolio-a"],
      intervalPeriod: { start: EVENT_START.toISOString(), duration: "PT1H" },
      payloadDescriptors: [{ objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "DISPATCH_SETPOINT", units: "KW" }],
      intervals: [{ id: 0, payloads: [{ type: "DISPATCH_SETPOINT", values: [SETPOINT_KW] }] }],
      reportDescriptors: [
        { payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH", aggregate: true, frequency: 1 },
      ],
    });
    log(`market operator: DISPATCH_SETPOINT ${SETPOINT_KW} kW for the aggregate portfolio-a, 18:00-19:00Z`);
    const members: SiteSpec[] = [0, 1, 2, 3].map((i) => ({
      name: `portfolio-home-${i + 1}`,
      resources: [
        { type: "load", name: "house", averageKw: 0.6 + 0.1 * i },
        { type: "battery", name: "battery", capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, socPercent: 80 },
      ],
      gridImportKw: 17,
    }));
    const fleet = new ScenarioFleet(vtn, START);
    fleet.addAggregate("portfolio-a", members, creds[0], START);
    await fleet.startAll();
    await fleet.runUntil(END, (r) =>
      log(
        `${r.t.slice(11, 16)}Z aggregate ${r.netKw[0].toFixed(1)} kW (without the dispatch ${r.baselineKw[0].toFixed(1)} kW)`,
      ),
    );
    await fleet.stop();
    const during = within(fleet.rows, EVENT_START, EVENT_END);
    const worst = peak(during, (r) => Math.abs(r.netKw[0] - SETPOINT_KW));
    const deliveredKwh = energyKwh(during, (r) => r.baselineKw[0] - r.netKw[0]);
    const reports = await bl.reports.all({ eventID: event.id } as never);
    const chart = hourlyChart(fleet.rows, { aggregate: (r) => r.netKw[0], without: (r) => r.baselineKw[0] });
    for (const line of chart) log(line);
    return {
      fleet,
      sites: ["portfolio-a", ...members.map((m) => m.name)],
      created: published(program, event),
      outcome: {
        setpointKw: SETPOINT_KW,
        largestDeviationKw: round1(worst),
        flexibilityDeliveredKwh: round1(deliveredKwh),
        reportsReceived: reports.length,
        chart,
      },
      series: scenarioSeries(
        fleet.rows,
        `portfolio-a (${members.length} home batteries)`,
        [
          { name: "aggregate", role: "net", of: (r) => r.netKw[0] },
          { name: "without the dispatch", role: "baseline", of: (r) => r.baselineKw[0] },
        ],
        [{ name: "DISPATCH_SETPOINT", kind: "setpoint", of: inForce(EVENT_START, EVENT_END, SETPOINT_KW) }],
      ),
      checks: [
        check(
          "the aggregate follows the setpoint in every step of the dispatch",
          worst <= TOLERANCE_KW,
          `largest deviation ${worst.toFixed(2)} kW, tolerance ${TOLERANCE_KW} kW`,
        ),
        check(
          "the dispatch delivered flexibility against the baseline",
          deliveredKwh > 5,
          `${deliveredKwh.toFixed(1)} kWh`,
        ),
        check("the market operator received the aggregator's reports", reports.length > 0, `${reports.length} reports`),
      ],
    };
  },
};
