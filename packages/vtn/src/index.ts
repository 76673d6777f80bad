export type { ClientCredentials, ClientRecord, ImportedClient } from "./auth/clients.ts";
export { ClientRegistry, hashClientSecret } from "./auth/clients.ts";
export { SigningKeys } from "./auth/signing-keys.ts";
export { OADR31_PREFIX } from "./bindings/oadr3/index.ts";
export { ConfigError, DEFAULTS, loadConfig, type VtnConfig } from "./config.ts";
export type { Core } from "./core/index.ts";
export { type Principal, principalFor, ROLE_SCOPES, type Role } from "./core/principal.ts";
export type { DemoCredentials } from "./demo.ts";
export {
  type Advertisement,
  advertiseVtn,
  isLoopbackHost,
  OPENADR3_SERVICE_TYPE,
  type VtnTxt,
  vtnTxt,
} from "./mdns.ts";
export { type DeliveryView, deliveryView } from "./notify/delivery-service.ts";
export type { Notifier } from "./notify/index.ts";
export { type AclInput, mosquittoAcl } from "./notify/mosquitto-acl.ts";
export { createVtn, LISTENING_FILE, type Vtn, type VtnOptions } from "./server.ts";
export { analyzeCopied, backupSqlite, copySqliteToPostgres } from "./store/move.ts";
export type { Change, Store, StoreTx } from "./store/types.ts";
