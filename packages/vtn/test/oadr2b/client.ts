// A minimal 2.0b VEN for tests: writes messages as a VEN would (validated against oadr_20b.xsd
// before sending, so a test cannot pass on a message a real VEN could not send), posts them, and
// parses the reply (also validated).
import { Oadr2bVen, type Oadr2bVenOptions } from "@gridlink/ven/oadr2b";
import { oadr20bSchema } from "../../src/bindings/oadr2b/index.ts";
import { REPEATING } from "../../src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";

export const NS_DECL =
  'xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:emix="http://docs.oasis-open.org/ns/emix/2011/06" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0" xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream" xmlns:power="http://docs.oasis-open.org/ns/emix/2011/06/power" xmlns:scale="http://docs.oasis-open.org/ns/emix/2011/06/siscale"';

/** Where a VEN sends each message it may send (DIGEST-openadr.md 2.3). */
export const SERVICE_OF: Record<string, string> = {
  oadrQueryRegistration: "EiRegisterParty",
  oadrCreatePartyRegistration: "EiRegisterParty",
  oadrCancelPartyRegistration: "EiRegisterParty",
  oadrCanceledPartyRegistration: "EiRegisterParty",
  oadrRequestEvent: "EiEvent",
  oadrCreatedEvent: "EiEvent",
  oadrRegisterReport: "EiReport",
  oadrRegisteredReport: "EiReport",
  oadrCreatedReport: "EiReport",
  oadrUpdateReport: "EiReport",
  oadrCancelReport: "EiReport",
  oadrCanceledReport: "EiReport",
  oadrCreateReport: "EiReport",
  oadrCreateOpt: "EiOpt",
  oadrCancelOpt: "EiOpt",
  oadrPoll: "OadrPoll",
};

/** The SDK's 2.0b VEN for one of a test VTN's demo VEN clients, at the VTN's 2.0b URL. */
export function sdkVen(
  t: { url: string },
  v: { clientId: string; clientSecret: string; venName: string },
  more: Partial<Oadr2bVenOptions> = {},
): Oadr2bVen {
  return new Oadr2bVen({
    url: `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`,
    clientId: v.clientId,
    clientSecret: v.clientSecret,
    venName: v.venName,
    ...more,
  });
}

/** An oadrPayload around one message element given as XML text (`<oadr:oadrPoll ...>...`). */
export function payload(message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<oadr:oadrPayload ${NS_DECL}><oadr:oadrSignedObject>${message}</oadr:oadrSignedObject></oadr:oadrPayload>`;
}

export interface Reply {
  status: number;
  text: string;
  /** The message element's local name. */
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML in tests
  body: any;
}

export class Ven2b {
  constructor(
    readonly root: string,
    readonly token: string | undefined,
  ) {}

  /** Posts `xml` (a whole document) to a service; `validate: false` sends it as it is. */
  async send(service: string, xml: string, opts: { validate?: boolean } = {}): Promise<Reply> {
    if (opts.validate !== false) oadr20bSchema().validate(xml);
    const res = await fetch(`${this.root}/OpenADR2/Simple/2.0b/${service}`, {
      method: "POST",
      headers: { "content-type": "application/xml", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: xml,
    });
    const text = await res.text();
    const issues = oadr20bSchema().issues(text);
    if (issues.length > 0) throw new Error(`reply is not valid 2.0b: ${issues[0].message}\n${text}`);
    const tree = parseXml(text, { arrays: REPEATING });
    const signed = (tree.oadrPayload as XmlNode).oadrSignedObject as XmlNode;
    const name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
    return { status: res.status, text, name, body: signed[name] };
  }

  message(service: string, message: string): Promise<Reply> {
    return this.send(service, payload(message));
  }

  poll(venID: string): Promise<Reply> {
    return this.message(
      "OadrPoll",
      `<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll>`,
    );
  }

  async register(opts: { venName?: string; pull?: boolean; address?: string; registrationID?: string } = {}) {
    const r = await this.message(
      "EiRegisterParty",
      `<oadr:oadrCreatePartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>reg-1</pyld:requestID>${
        opts.registrationID ? `<ei:registrationID>${opts.registrationID}</ei:registrationID>` : ""
      }<oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName>${
        opts.address ? `<oadr:oadrTransportAddress>${opts.address}</oadr:oadrTransportAddress>` : ""
      }<oadr:oadrReportOnly>false</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature>${
        opts.venName ? `<oadr:oadrVenName>${opts.venName}</oadr:oadrVenName>` : ""
      }<oadr:oadrHttpPullModel>${opts.pull === false ? "false" : "true"}</oadr:oadrHttpPullModel></oadr:oadrCreatePartyRegistration>`,
    );
    return r;
  }

  /** Polls until a message other than oadrResponse arrives or nothing is due; returns all. */
  async drain(venID: string, max = 10): Promise<Reply[]> {
    const out: Reply[] = [];
    for (let i = 0; i < max; i++) {
      const r = await this.poll(venID);
      out.push(r);
      if (r.name === "oadrResponse") break;
    }
    return out;
  }
}

export function code(r: Reply): string {
  return String(r.body.eiResponse?.responseCode ?? r.body.eiCreatedEvent?.eiResponse?.responseCode);
}
