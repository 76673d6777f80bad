// @gridlink/node: a VEN towards an upstream VTN and a VTN towards its own members (docs/node.md).
export { loadNodeConfig, type NodeConfig, NodeConfigError, parseNodeConfig } from "./config.ts";
export {
  type DerivedEvent,
  deriveEvents,
  type MemberShare,
  SPLIT_TYPES,
  sameEnough,
  type TracedEvent,
  type UpstreamTrace,
} from "./derive.ts";
export { everything, Fleet, type Member } from "./fleet.ts";
export { FleetSource } from "./fleet-source.ts";
export { GridlinkNode, type NodeOptions } from "./node.ts";
export { type Integral, MemberReadings, quantityOf } from "./readings.ts";
export { SPLIT_POLICIES, type SplitPolicy, splitLowerBy, splitUpperBy } from "./split.ts";
