// The VTN test harness, exported as `@gridlink/vtn/testing` for the tests of every package: a real
// VTN on an ephemeral loopback port (in this process or a child one), the demo actors' tokens,
// problem+json assertions, minimal valid bodies and a webhook receiver that answers the echo check.
export * from "./bodies.ts";
export * from "./clock.ts";
export * from "./haproxy.ts";
export * from "./pki.ts";
export * from "./postgres-cluster.ts";
export * from "./privacy-table.ts";
export * from "./process.ts";
export * from "./receiver.ts";
export * from "./refusals.ts";
export * from "./replies.ts";
export * from "./suite.ts";
export * from "./test-store.ts";
export * from "./until.ts";
export * from "./vtn.ts";
