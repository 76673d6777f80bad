export { createVtn, type Vtn } from "./server.ts";
export { loadConfig, ConfigError, DEFAULTS, type VtnConfig } from "./config.ts";
export type { ClientCredentials, ClientRecord } from "./auth/clients.ts";
export { ClientRegistry } from "./auth/clients.ts";
export { OADR31_PREFIX } from "./bindings/oadr3/index.ts";
export type { DemoCredentials } from "./demo.ts";
export type { Store, Change, StoreTx } from "./store/types.ts";
export type { Core } from "./core/index.ts";
export { ROLE_SCOPES, type Principal, type Role } from "./core/principal.ts";
