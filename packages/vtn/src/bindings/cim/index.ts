// The IEC 61968-100 binding (docs/cim.md): one endpoint, POST /cim, taking RequestMessages as
// plain XML or in a SOAP 1.1/1.2 envelope (the document/literal binding of the WSDLs), from
// BL-role clients with the same bearer tokens as the 3.1 API. Thin: read + validate
// (envelope.ts), one core call per item (dispatch.ts), render + validate (replies.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ClientRegistry } from "../../auth/clients.ts";
import { bearerToken, type TokenVerifier } from "../../auth/tokens.ts";
import type { VtnConfig } from "../../config.ts";
import { CoreError } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Notifier } from "../../notify/index.ts";
import type { Store } from "../../store/types.ts";
import { optsOfEvent } from "../oadr2b/opt-service.ts";
import { certificatePrincipal } from "../oadr3/certificate-auth.ts";
import { DEFAULT_LIMITS } from "../xml/index.ts";
import { type CimMapping, ControlsService, replyErrorOf } from "./controls-service.ts";
import { type CimServices, dispatch } from "./dispatch.ts";
import { CimFault, type Form, type IncomingMessage, readMessage, type Soap } from "./envelope.ts";
import { eventMessageRecorder, eventMessageRenderer } from "./event-messages.ts";
import { Listeners } from "./listeners.ts";
import { DEFAULT_CONTROL_MAPPING } from "./mapping/controls.ts";
import { DEFAULT_PROGRAM_RULES } from "./mapping/programs.ts";
import { loadMapping } from "./mapping-config.ts";
import { CimOutbound } from "./outbound.ts";
import { type Reply, type ReplyTo, renderFault, renderResponse } from "./replies.ts";
import { NOUNS, schema } from "./schemas.ts";

export { cimTables } from "./schema.ts";

export const CIM_PATH = "/cim";

export interface CimOptions {
  core: Core;
  store: Store;
  verifier: TokenVerifier;
  /** URL policy, timeout and retries of outbound messages: the webhook settings. */
  config: VtnConfig;
  /**
   * Whether a client is disabled (outbound messages for it are dropped); the client a
   * certificate's CN names (mutual TLS).
   */
  clients: ClientRegistry;
  mapping?: Partial<CimMapping>;
  /** Asynchronous replies and EventMessages go through its outbox (outbound.ts). */
  notifier?: Pick<Notifier, "queue" | "serve">;
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

/**
 * The CIM client: a BL principal (docs/cim.md §Authentication), by bearer token or, without an
 * Authorization header, by a verified client certificate (mutual TLS, the same rule as the 3.1
 * and 2.0b bindings: certificate-auth.ts); a VEN's token or certificate is refused.
 */
async function principalOf(req: FastifyRequest, opts: CimOptions): Promise<Principal> {
  const h = req.headers.authorization;
  const token = bearerToken(h);
  if (h && token === undefined) throw new CimFault("6.2", "the Authorization header must be Bearer <token>");
  let p: Principal | undefined;
  try {
    p = token !== undefined ? await opts.verifier.verify(token) : await certificatePrincipal(req, opts.clients);
  } catch (err) {
    throw new CimFault("6.2", err instanceof CoreError ? err.message : "the token was not accepted");
  }
  if (!p)
    throw new CimFault(
      "6.2",
      "send Authorization: Bearer <token> (the token endpoint of the 3.1 API) or a client certificate",
    );
  if (p.role !== "bl") throw new CimFault("6.1", "the CIM endpoint is for business-logic (BL) clients only");
  return p;
}

export async function cimBinding(app: FastifyInstance, opts: CimOptions) {
  const { core, store, config } = opts;
  const mapping: CimMapping = {
    ...DEFAULT_CONTROL_MAPPING,
    programs: DEFAULT_PROGRAM_RULES,
    ...loadMapping(config.dataDir),
    ...opts.mapping,
  };
  const controls = new ControlsService(core, store, mapping, (err) => app.log.error({ err }, "cim item failed"));
  const outbound = new CimOutbound(opts.notifier, {
    policy: { allowHttp: config.webhookAllowHttp, allowPrivate: config.webhookAllowPrivate },
    render: eventMessageRenderer(store, mapping),
    // A disabled or removed client is sent nothing; clients of an external issuer are not in the
    // registry, so there only a known, disabled one is stopped.
    disabled: async (id) => {
      const s = (await opts.clients.standing([id])).get(id);
      return s ? s.disabled : config.auth.mode !== "external";
    },
  });
  const services: CimServices = {
    core,
    controls,
    listeners: new Listeners(store, outbound),
    // Opt-outs are taken by the 2.0b binding (EiOpt); its records are read through its own
    // function, which needs only the store of its deps.
    optsOf: (eventId) => optsOfEvent({ core, store, vtnId: "", pollSeconds: 0, now: core.deps.now }, eventId),
  };
  store.onChange(eventMessageRecorder(core.policy, outbound));
  const unserve = outbound.serve();
  app.addHook("onReady", async () => {
    // Compile the XSDs before the first message instead of during it.
    for (const name of ["message", "endDeviceControlsMessage", ...NOUNS] as const) schema(name);
  });
  app.addHook("onClose", async () => unserve());

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

  /** The Reply to a message; a core error outside any item is a FAILED reply naming it. */
  async function replyOf(p: Principal, msg: IncomingMessage): Promise<Reply> {
    try {
      return await dispatch(services, p, msg);
    } catch (err) {
      if (!(err instanceof CoreError)) throw err;
      return { result: "FAILED", errors: [replyErrorOf(err)] };
    }
  }

  app.post(CIM_PATH, async (req, reply) => {
    let p: Principal;
    try {
      p = await principalOf(req, opts);
    } catch (err) {
      const f = err as CimFault;
      return sendFault(reply, f.code === "6.1" ? 403 : 401, f.code, f.message);
    }
    const body = req.body;
    if (!(body instanceof Uint8Array)) return sendFault(reply, 415, "1.1", `send ${XML_TYPES.join(" or ")}`);
    let msg: IncomingMessage;
    try {
      msg = readMessage(body);
    } catch (err) {
      if (!(err instanceof CimFault)) throw err;
      return sendFault(reply, 400, err.code, err.message, err.form, err.soap);
    }
    const { header } = msg;
    const to: ReplyTo = {
      form: msg.form,
      soap: msg.soap,
      noun: header.noun,
      messageID: header.messageID,
      correlationID: header.correlationID,
    };
    const send = (r: Reply) => reply.type(contentType(msg.soap)).send(renderResponse(to, r));
    if (!(header.asyncReplyFlag && header.replyAddress)) return send(await replyOf(p, msg));
    // Asynchronous (61968-100 AsyncReplyFlag + ReplyAddress): carried out now, the reply queued
    // for the ReplyAddress; this answer only acknowledges, naming the queued reply.
    try {
      outbound.checkAddress(header.replyAddress, "Header.ReplyAddress");
    } catch (err) {
      return send({ result: "FAILED", errors: [{ code: "2.5", reason: (err as Error).message }] });
    }
    const subject = { kind: header.noun, operation: "REPLY", objectId: header.messageID ?? header.correlationID ?? "" };
    const [queued] = await outbound.enqueue(subject, [
      {
        kind: "reply",
        address: header.replyAddress,
        clientId: p.clientId,
        body: renderResponse(to, await replyOf(p, msg)),
        soap: msg.soap,
      },
    ]);
    if (!queued) return send({ result: "FAILED", errors: [{ code: "5.1", reason: "this VTN runs no outbox" }] });
    return send({
      result: "OK",
      errors: [],
      ids: [{ value: queued, objectType: "AsyncReply" }],
      properties: [{ name: "asyncReply", value: "queued" }],
    });
  });
}
