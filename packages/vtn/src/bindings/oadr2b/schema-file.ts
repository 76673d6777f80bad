// oadr_20b.xsd (the unedited copy in @gridlink/model/spec/oadr20b), compiled once per process
// (~100 ms), for everything that checks 2.0b messages in and out.
import { OADR20B_XSD } from "@gridlink/model/oadr2b";
import { XsdSchema } from "../xml/index.ts";

let schema: XsdSchema | undefined;

export function oadr20bSchema(): XsdSchema {
  schema ??= XsdSchema.load(OADR20B_XSD);
  return schema;
}
