// Canonical OpenADR 3.1 types, generated from the spec YAML (npm run gen:types).
import type { components } from "./generated/openadr3.ts";

type S = components["schemas"];

// The generated server-side schemas are intersections that openapi-typescript spoils with
// lower-case discriminator values; the canonical objects are spelled out here from their parts.
type Meta<T extends string> = S["objectMetadata"] & { objectType: T };
type Request<K extends keyof S> = Omit<S[K], "objectType">;

export type ProgramRequest = S["programRequest"];
export type Program = Meta<"PROGRAM"> & ProgramRequest;
export type EventRequest = S["eventRequest"];
export type Event = Meta<"EVENT"> & EventRequest;
export type ReportRequest = S["reportRequest"];
export type Report = Meta<"REPORT"> & ReportRequest & { clientID: string };
export type SubscriptionRequest = S["subscriptionRequest"];
export type Subscription = Meta<"SUBSCRIPTION"> & SubscriptionRequest & { clientID: string };
export type BlVenRequest = Request<"BlVenRequest">;
export type VenVenRequest = Request<"VenVenRequest">;
export type Ven = Meta<"VEN"> & BlVenRequest;
export type BlResourceRequest = Request<"BlResourceRequest">;
export type VenResourceRequest = Request<"VenResourceRequest">;
export type Resource = Meta<"RESOURCE"> & BlResourceRequest;
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
export type ObjectType = "PROGRAM" | "EVENT" | "REPORT" | "SUBSCRIPTION" | "VEN" | "RESOURCE";
export const OBJECT_TYPES: readonly ObjectType[] = ["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE"];

export type Operation = "CREATE" | "UPDATE" | "DELETE";

/**
 * Scopes declared by openadr3.yaml securitySchemes.oAuth2ClientCredentials, plus `read_bl`, which
 * the YAML does not declare but asks for on /notifiers/mqtt/topics/{events,reports,...}, plus
 * gridlink's own `read_audit` (the audit trail, IEC 62443-3-3 SR 2.8; held by the auditor role).
 */
export type Scope =
  | "read_all"
  | "read_bl"
  | "read_targets"
  | "read_ven_objects"
  | "write_programs"
  | "write_events"
  | "write_reports"
  | "write_subscriptions"
  | "write_vens"
  | "read_audit";

export type { components, operations, paths } from "./generated/openadr3.ts";
