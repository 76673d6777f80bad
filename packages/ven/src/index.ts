// @gridlink/ven: the OpenADR 3.1 client SDK, which also talks to 3.0.1 VTNs (a base URL ending in
// /3.0.1; dialect301.ts). Depends on @gridlink/model only.

export {
  BlClient,
  type ClientOptions,
  type EventQuery,
  type ProgramQuery,
  type ReportQuery,
  type ResourceQuery,
  type Role,
  type SubscriptionQuery,
  VenClient,
  type VenQuery,
} from "./clients.ts";
export { type CollectionSpec, encodeId, PAGE_SIZE, type Page, Reader, Writer } from "./collections.ts";
export { Dialect301, isOadr30Url, Oadr301Unsupported } from "./dialect301.ts";
export {
  type DiscoveredVtn,
  type DiscoverOptions,
  discoverVtns,
  fromService,
  vtnBaseUrl,
} from "./discovery.ts";
export * from "./errors.ts";
export { type IntakeMode, type IntakeOptions, NotificationIntake } from "./intake.ts";
export { EventMirror, type MirrorChange, type MirrorOptions } from "./mirror.ts";
export { connectAuth, MqttSubscriber, type MqttSubscriberOptions, topicFilters } from "./mqtt.ts";
export {
  camelKey,
  camelKeys,
  NotificationFormatError,
  type NotificationOperation,
  type ParsedNotification,
  parseNotification,
} from "./notification.ts";
export { BlNotifiers, VenNotifiers } from "./notifiers.ts";
export {
  AGGREGATED_REPORT,
  type BuildOptions,
  buildReport,
  groupWindows,
  isoDuration,
  type ReadQuery,
  type ReportResource,
  selectResources,
  type TelemetrySource,
} from "./reports/build.ts";
export {
  type Descriptor,
  type PlanOptions,
  planReports,
  type ReportWindow,
  reportingIntervals,
  withDefaults,
} from "./reports/plan.ts";
export { ReportScheduler, type SchedulerOptions } from "./reports/scheduler.ts";
export {
  appliesTo,
  EventTimeline,
  type KnownEvent,
  type Segment,
  type Signal,
  seededRandomize,
  type TargetScope,
  type TimelineOptions,
  type Upcoming,
  unitHash,
} from "./timeline.ts";
export { refreshMarginMs, type Token, type TokenOptions, TokenSource } from "./tokens.ts";
export {
  type ApiRequest,
  type Authorizer,
  type Exchange,
  type Method,
  Transport,
  type TransportOptions,
} from "./transport.ts";
export { type WebhookRoute, WebhookServer, type WebhookServerOptions } from "./webhook.ts";
