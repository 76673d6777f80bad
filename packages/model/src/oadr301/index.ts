// OpenADR 3.0.1 <-> the canonical (3.1) model: pure translations shared by the VTN's 3.0.1 binding,
// its notifier (3.0.1 notification bodies) and the VEN SDK (docs/mappings/oadr301.md).
export * from "./objects.ts";
export * from "./targets.ts";
