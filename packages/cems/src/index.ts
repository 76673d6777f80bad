// @gridlink/cems: resources, strategies, the site simulator, its VEN runner and the aggregator.

export { splitLower, splitUpper, VirtualResource } from "./aggregator.ts";
export { type Clock, ManualClock, ScaledClock } from "./clock.ts";
export {
  buildResources,
  buildSite,
  loadSiteConfig,
  parseSiteConfig,
  type ResourceConfig,
  type SiteConfig,
  SiteConfigError,
  type VtnProfile,
} from "./config.ts";
export {
  DECREASE_ORDER,
  type DispatchResult,
  dispatch,
  INCREASE_ORDER,
  OPEN_RANGE,
  type Range,
  type Unit,
} from "./dispatch.ts";
export { HOME_TEMPLATE, varySite } from "./fleet.ts";
export type { Plant, PlantStep } from "./plant.ts";
export { HOUR_MS, loadShape, localHour, noise, outdoorTemp, solarShape } from "./profiles.ts";
export {
  everyTick,
  type FleetStep,
  fleetStatusLine,
  hhmm,
  type IntakeChoice,
  intakeFor,
  statusLine,
  summaryLine,
} from "./realtime.ts";
export { SiteReportSource } from "./report-source.ts";
export { BaseLoad, type BaseLoadSpec } from "./resources/base-load.ts";
export { Battery, type BatterySpec } from "./resources/battery.ts";
export { type DailySession, EvCharger, type EvChargerSpec } from "./resources/ev-charger.ts";
export { HeatPump, type HeatPumpSpec } from "./resources/heat-pump.ts";
export { Pv, type PvSpec } from "./resources/pv.ts";
export { clamp, type Flex, type Resource, type ResourceKind, type StorageState } from "./resources/types.ts";
export { type RunnerOptions, type RunnerStats, SiteRunner, spreadShare } from "./runner.ts";
export { type Runner2bOptions, type Runner2bStats, SiteRunner2b, siteMetadata } from "./runner2b.ts";
export { type Prepared, Site, type SiteSpec, type StepResult } from "./site.ts";
export {
  type Constraint,
  constraintsOf,
  type GridConnection,
  type NetFlex,
  resolveConstraints,
} from "./strategies/constraints.ts";
export { costAt, costBand, costQuantile, plannedChargeKw } from "./strategies/cost.ts";
export {
  type CostSegment,
  costOutlook,
  type Directive,
  directiveAt,
  EMPTY_DIRECTIVE,
  type Ranked,
} from "./strategies/directive.ts";
export { preferredPowers } from "./strategies/preferences.ts";
export { NET, type StepSample, Telemetry } from "./telemetry.ts";
export { fromKw, fromKwh, toKw, toKwh } from "./units.ts";
export {
  DEFAULT_VTN_URL,
  isConnectionRefused,
  listeningUrl,
  refusedMessage,
  type UrlSource,
  VTN_LISTENING_FILE,
} from "./vtn-location.ts";
