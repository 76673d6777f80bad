// Typed OpenADR 3.1 clients, one class per role, so that what a role may not do does not compile:
// a VenClient has no programs.create, events.create or BL-only notifier topics; a BlClient has no
// reports.create (openadr3.yaml securitySchemes: write_reports is for VENs only). Bodies are typed
// by role too: BL writes BlVenRequest / BlResourceRequest, a VEN VenVenRequest / VenResourceRequest.
import type {
  BlResourceRequest,
  BlVenRequest,
  Event,
  EventRequest,
  ObjectType,
  Program,
  ProgramRequest,
  Report,
  ReportRequest,
  Resource,
  Subscription,
  SubscriptionRequest,
  Ven,
  VenResourceRequest,
  VenVenRequest,
} from "@gridlink/model";
import { Reader, SPECS, Writer } from "./collections.ts";
import { BlNotifiers, VenNotifiers } from "./notifiers.ts";
import { TokenSource } from "./tokens.ts";
import { Transport, type TransportOptions } from "./transport.ts";

export interface ProgramQuery {
  targets?: string[];
}
export interface EventQuery {
  programID?: string;
  targets?: string[];
  /** Only events not yet transpired (User_Guide.md §7.3). */
  active?: boolean;
}
export interface ReportQuery {
  programID?: string;
  eventID?: string;
  clientName?: string;
}
export interface SubscriptionQuery {
  programID?: string;
  clientName?: string;
  objects?: ObjectType[];
}
export interface VenQuery {
  venName?: string;
  targets?: string[];
}
export interface ResourceQuery {
  resourceName?: string;
  venID?: string;
  targets?: string[];
}

export interface ClientOptions extends TransportOptions {
  clientId: string;
  clientSecret: string;
  /** Token endpoint; discovered through GET /auth/server when omitted. */
  tokenUrl?: string;
  scope?: string;
  /** Clock for token expiry (ms since the epoch); Date.now by default. */
  now?: () => number;
}

export type Role = "bl" | "ven";

abstract class OadrClient {
  abstract readonly role: Role;
  readonly transport: Transport;
  readonly tokens: TokenSource;

  constructor(opts: ClientOptions) {
    this.transport = new Transport(opts);
    this.tokens = new TokenSource(this.transport, {
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      tokenUrl: opts.tokenUrl,
      scope: opts.scope,
      now: opts.now,
    });
    this.transport.setAuthorizer(this.tokens);
  }

  get clientId(): string {
    return this.tokens.clientId;
  }

  /** getAuthServerInfo: where this VTN's tokens come from. */
  authServer(): Promise<{ tokenURL: string }> {
    return this.transport.json({ operationId: "getAuthServerInfo", method: "GET", path: "/auth/server", auth: false });
  }
}

/** The business logic: writes programs, events, vens and resources; reads everything. */
export class BlClient extends OadrClient {
  readonly role = "bl" as const;
  readonly programs = new Writer<Program, ProgramRequest, ProgramQuery>(this.transport, SPECS.programs);
  readonly events = new Writer<Event, EventRequest, EventQuery>(this.transport, SPECS.events);
  readonly reports = new Reader<Report, ReportQuery>(this.transport, SPECS.reports);
  readonly subscriptions = new Writer<Subscription, SubscriptionRequest, SubscriptionQuery>(
    this.transport,
    SPECS.subscriptions,
  );
  readonly vens = new Writer<Ven, BlVenRequest, VenQuery>(this.transport, SPECS.vens);
  readonly resources = new Writer<Resource, BlResourceRequest, ResourceQuery>(this.transport, SPECS.resources);
  readonly notifiers = new BlNotifiers(this.transport);
}

/** A VEN: reads the programs and events targeted at it, writes reports and its own ven, resources, subscriptions. */
export class VenClient extends OadrClient {
  readonly role = "ven" as const;
  readonly programs = new Reader<Program, ProgramQuery>(this.transport, SPECS.programs);
  readonly events = new Reader<Event, EventQuery>(this.transport, SPECS.events);
  readonly reports = new Writer<Report, ReportRequest, ReportQuery>(this.transport, SPECS.reports);
  readonly subscriptions = new Writer<Subscription, SubscriptionRequest, SubscriptionQuery>(
    this.transport,
    SPECS.subscriptions,
  );
  readonly vens = new Writer<Ven, VenVenRequest, VenQuery>(this.transport, SPECS.vens);
  readonly resources = new Writer<Resource, VenResourceRequest, ResourceQuery>(this.transport, SPECS.resources);
  readonly notifiers = new VenNotifiers(this.transport);
}
