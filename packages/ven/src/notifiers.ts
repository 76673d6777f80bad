// GET /notifiers and the twelve /notifiers/mqtt/topics/... operations (openadr3.yaml, Definition.md
// §Notifications via Additional Protocols). Split by the scopes the YAML gives them: read_bl and
// read_all topics are for BL only; /notifiers itself is open to VENs too (docs: a VEN needs it to
// find the broker, DESIGN.md "Known spec traps"), and so are the VEN-scoped topics (read_ven_objects).
import type { NotifiersResponse, NotifierTopicsResponse } from "@gridlink/model";
import { encodeId } from "./collections.ts";
import type { Transport } from "./transport.ts";

export class VenNotifiers {
  constructor(protected readonly transport: Transport) {}

  protected topics(operationId: string, path: string): Promise<NotifierTopicsResponse> {
    return this.transport.json<NotifierTopicsResponse>({
      operationId,
      method: "GET",
      path: `/notifiers/mqtt/topics${path}`,
    });
  }

  /** listAllNotifiers: which bindings the VTN offers (WEBHOOK always; MQTT with its broker). */
  list(): Promise<NotifiersResponse> {
    return this.transport.json<NotifiersResponse>({
      operationId: "listAllNotifiers",
      method: "GET",
      path: "/notifiers",
    });
  }

  /** listAllMqttNotifierTopicsVen */
  venTopics(venID: string): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsVen", `/vens/${encodeId(venID)}`);
  }

  /** listAllMqttNotifierTopicsVenEvents: events targeted at the ven. */
  venEventTopics(venID: string): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsVenEvents", `/vens/${encodeId(venID)}/events`);
  }

  /** listAllMqttNotifierTopicsVenPrograms: programs targeted at the ven. */
  venProgramTopics(venID: string): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsVenPrograms", `/vens/${encodeId(venID)}/programs`);
  }

  /** listAllMqttNotifierTopicsVenResources: the ven's resources. */
  venResourceTopics(venID: string): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsVenResources", `/vens/${encodeId(venID)}/resources`);
  }
}

export class BlNotifiers extends VenNotifiers {
  /** listAllMqttNotifierTopicsPrograms */
  programTopics(): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsPrograms", "/programs");
  }

  /** listAllMqttNotifierTopicsProgram */
  oneProgramTopics(programID: string): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsProgram", `/programs/${encodeId(programID)}`);
  }

  /** listAllMqttNotifierTopicsProgramEvents */
  programEventTopics(programID: string): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsProgramEvents", `/programs/${encodeId(programID)}/events`);
  }

  /** listAllMqttNotifierTopicsEvents */
  eventTopics(): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsEvents", "/events");
  }

  /** listAllMqttNotifierTopicsReports */
  reportTopics(): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsReports", "/reports");
  }

  /** listAllMqttNotifierTopicsSubscriptions */
  subscriptionTopics(): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsSubscriptions", "/subscriptions");
  }

  /** listAllMqttNotifierTopicsVens */
  venCollectionTopics(): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsVens", "/vens");
  }

  /** listAllMqttNotifierTopicsResources */
  resourceTopics(): Promise<NotifierTopicsResponse> {
    return this.topics("listAllMqttNotifierTopicsResources", "/resources");
  }
}
