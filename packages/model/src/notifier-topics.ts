// MQTT topic names of the OpenADR 3.1 notifier binding (the notifier doc "OpenADR3 Object
// Operation Notifications via Additional Protocols" §8, and openadr3.yaml
// /notifiers/mqtt/topics/...). Names only: who may read which topic is the VTN core's policy.

/** Topic prefixes, one per operation of openadr3.yaml /notifiers/mqtt/topics/... */
export const TOPIC_PREFIX = {
  programs: () => "programs",
  program: (programId: string) => `programs/${programId}`,
  events: () => "events",
  programEvents: (programId: string) => `events/programs/${programId}`,
  reports: () => "reports",
  subscriptions: () => "subscriptions",
  vens: () => "vens",
  ven: (venId: string) => `vens/${venId}`,
  resources: () => "resources",
  venEvents: (venId: string) => `events/vens/${venId}`,
  venPrograms: (venId: string) => `programs/vens/${venId}`,
  venResources: (venId: string) => `resources/vens/${venId}`,
};

/** The VEN-scoped topic prefixes of one ven object (notifier doc §9: VEN-scoped topics). */
export function venScopedPrefixes(venId: string): string[] {
  return [
    TOPIC_PREFIX.venEvents(venId),
    TOPIC_PREFIX.venPrograms(venId),
    TOPIC_PREFIX.venResources(venId),
    TOPIC_PREFIX.ven(venId),
  ];
}

// VEN-scoped filters: events|programs|resources/vens/{venID}/{op} and vens/{venID}/{op}, where
// op is create, update, delete, + or #.
const VEN_SCOPED = /^(?:(?:events|programs|resources)\/vens\/([^/+#]+)|vens\/([^/+#]+))\/(create|update|delete|\+|#)$/;

/** The venID a topic filter is scoped to, or undefined when it is not a VEN-scoped filter. */
export function venOfTopicFilter(filter: string): string | undefined {
  const m = VEN_SCOPED.exec(filter);
  return m ? (m[1] ?? m[2]) : undefined;
}
