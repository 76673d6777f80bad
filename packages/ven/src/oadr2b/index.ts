// The OpenADR 2.0b (IEC 62746-10-1) VEN: Simple HTTP, pull or push, on the model's 2.0b <-> 3.1
// translations (@gridlink/model/oadr2b) and XML layer (@gridlink/model/xml). docs/ven-sdk.md.
export {
  defaultTokenUrl,
  OADR2B_PATH,
  Oadr2bClient,
  type Oadr2bClientOptions,
  Oadr2bRefused,
  responseOf,
} from "./client.ts";
export type { EventAnswer, OptOut, PointMetadata, PointValue, ReportInterval, ReportMetadata } from "./messages.ts";
export { Oadr2bPushReceiver, type PushReceiverOptions } from "./push.ts";
export { eventOf31, eventsOf, oadrEventOf } from "./read-event.ts";
export { collect, isDue, type PointReader, periodMs, type ReportRequest, requestsOf } from "./report-requests.ts";
export { Oadr2bVen, type Oadr2bVenOptions, type OptType } from "./ven.ts";
export { envelope, type Message, oadr20bSchema, readMessage, type Service } from "./wire.ts";
