// The IEC 61968-100 binding (docs/cim.md): one endpoint, POST /cim, taking RequestMessages as
// plain XML or in a SOAP 1.1/1.2 envelope (the document/literal binding of the WSDLs), from
// BL-role clients with the same bearer tokens as the 3.1 API. Thin: read + validate
// (envelope.ts), one core call per item (dispatch.ts), render + validate (replies.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { TokenVerifier } from "../../auth/tokens.ts";
import { CoreError } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Store } from "../../store/types.ts";
import { DEFAULT_LIMITS } from "../xml/index.ts";
import { type CimMapping, ControlsService } from "./controls-service.ts";
import { dispatch } from "./dispatch.ts";
import { CimFault, type Form, readMessage, type Soap } from "./envelope.ts";
import { DEFAULT_CONTROL_MAPPING } from "./mapping/controls.ts";
import { DEFAULT_PROGRAM_RULES } from "./mapping/programs.ts";
import { renderFault, renderResponse } from "./replies.ts";

export { cimTables } from "./schema.ts";

export const CIM_PATH = "/cim";

export interface CimOptions {
  core: Core;
  store: Store;
  verifier: TokenVerifier;
  mapping?: Partial<CimMapping>;
}

const XML_TYPES = ["text/xml", "application/xml", "application/soap+xml"];

function contentType(soap: Soap): string {
  return soap === "1.2"
    ? "application/soap+xml; charset=utf-8"
    : soap === "1.1"
      ? "text/xml; charset=utf-8"
      : "application/xml; charset=utf-8";
}

function sendFault(
  reply: FastifyReply,
  status: number,
  code: string,
  reason: string,
  form: Form = "generic",
  soap?: Soap,
) {
  return reply
    .code(status)
    .type(contentType(soap))
    .send(renderFault(form, soap, code, reason));
}

/** The CIM client: a BL principal (docs/cim.md §Authentication); a VEN token is refused. */
async function principalOf(req: FastifyRequest, verifier: TokenVerifier): Promise<Principal> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!m) throw new CimFault("6.2", "send Authorization: Bearer <token> (the token endpoint of the 3.1 API)");
  let p: Principal;
  try {
    p = await verifier.verify(m[1]);
  } catch (err) {
    throw new CimFault("6.2", err instanceof CoreError ? err.message : "the token was not accepted");
  }
  if (p.role !== "bl") throw new CimFault("6.1", "the CIM endpoint is for business-logic (BL) clients only");
  return p;
}

export async function cimBinding(app: FastifyInstance, opts: CimOptions) {
  const mapping: CimMapping = { ...DEFAULT_CONTROL_MAPPING, programs: DEFAULT_PROGRAM_RULES, ...opts.mapping };
  const controls = new ControlsService(opts.core, opts.store, mapping, (err) =>
    app.log.error({ err }, "cim item failed"),
  );

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(XML_TYPES, { parseAs: "buffer", bodyLimit: DEFAULT_LIMITS.maxBytes }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return sendFault(reply, 413, "1.1", "the message is too large");
    if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
      return sendFault(reply, 415, "1.1", `send ${XML_TYPES.join(" or ")}`);
    if (err.statusCode && err.statusCode < 500) return sendFault(reply, err.statusCode, "1.1", err.message);
    app.log.error({ err }, "cim request failed");
    // No input makes a 5xx: what went wrong is ours, and it is said as a FAILED reply.
    return sendFault(reply, 400, "5.1", "the request could not be processed; the VTN logged why");
  });

  app.post(CIM_PATH, async (req, reply) => {
    let p: Principal;
    try {
      p = await principalOf(req, opts.verifier);
    } catch (err) {
      const f = err as CimFault;
      return sendFault(reply, f.code === "6.1" ? 403 : 401, f.code, f.message);
    }
    const body = req.body;
    if (!(body instanceof Uint8Array)) return sendFault(reply, 415, "1.1", `send ${XML_TYPES.join(" or ")}`);
    let msg: ReturnType<typeof readMessage>;
    try {
      msg = readMessage(body);
    } catch (err) {
      if (!(err instanceof CimFault)) throw err;
      return sendFault(reply, 400, err.code, err.message, err.form, err.soap);
    }
    const to = {
      form: msg.form,
      soap: msg.soap,
      noun: msg.header.noun,
      messageID: msg.header.messageID,
      correlationID: msg.header.correlationID,
    };
    let r: Awaited<ReturnType<typeof dispatch>>;
    try {
      r = await dispatch(opts.core, controls, p, msg);
    } catch (err) {
      if (!(err instanceof CoreError)) throw err;
      r = { result: "FAILED", errors: [{ code: err.status === 400 ? "2.5" : "2.4", reason: err.message }] };
    }
    return reply.type(contentType(msg.soap)).send(renderResponse(to, r));
  });
}
