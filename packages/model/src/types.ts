// Canonical OpenADR 3.1 types, generated from the spec YAML (npm run gen:types).
import type { components } from "./generated/openadr3.ts";

type S = components["schemas"];

export type Program = S["program"];
export type ProgramRequest = S["programRequest"];
export type Event = S["event"];
export type EventRequest = S["eventRequest"];
export type Report = S["report"];
export type ReportRequest = S["reportRequest"];
export type Subscription = S["subscription"];
export type SubscriptionRequest = S["subscriptionRequest"];
export type Ven = S["ven"];
export type BlVenRequest = S["BlVenRequest"];
export type VenVenRequest = S["VenVenRequest"];
export type Resource = S["resource"];
export type BlResourceRequest = S["BlResourceRequest"];
export type VenResourceRequest = S["VenResourceRequest"];
export type Interval = S["interval"];
export type IntervalPeriod = S["intervalPeriod"];
export type ValuesMap = S["valuesMap"];
export type ReportDescriptor = S["reportDescriptor"];
export type EventPayloadDescriptor = S["eventPayloadDescriptor"];
export type ReportPayloadDescriptor = S["reportPayloadDescriptor"];
export type Notification = S["notification"];
export type NotifiersResponse = S["notifiersResponse"];
export type NotifierTopicsResponse = S["notifierTopicsResponse"];
export type Problem = S["problem"];
export type AuthError = S["authError"];
export type ClientCredentialResponse = S["clientCredentialResponse"];

/** The six object types addressable through the API (openadr3.yaml objectTypes). */
export type ObjectType = S["objectTypes"];
export const OBJECT_TYPES: readonly ObjectType[] = ["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE"];

export type Operation = "CREATE" | "UPDATE" | "DELETE";

/** Scopes declared by openadr3.yaml securitySchemes.oAuth2ClientCredentials. */
export type Scope =
  | "read_all"
  | "read_targets"
  | "read_ven_objects"
  | "write_programs"
  | "write_events"
  | "write_reports"
  | "write_subscriptions"
  | "write_vens";

export type { components, paths, operations } from "./generated/openadr3.ts";
