// The OpenADR 2.0b binding (IEC 62746-10-1, Simple HTTP): POST {root}/OpenADR2/Simple/2.0b/<Service>
// with an oadrPayload. Every message in and out is checked against oadr_20b.xsd; a message that
// fails, or that core refuses, is answered with an oadrResponse whose responseCode says why
// (4xx, 46x) and changes nothing. How to connect a VEN: docs/oadr2b.md; the mapping onto core
// objects: docs/mappings/oadr2b.md.
import type { Event } from "@gridlink/model";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ClientRegistry } from "../../auth/clients.ts";
import { bearerToken, type TokenVerifier } from "../../auth/tokens.ts";
import { Conflict, CoreError, Forbidden, Invalid, NotFound } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Notifier } from "../../notify/index.ts";
import type { Store } from "../../store/types.ts";
import { peerFingerprint } from "../../tls.ts";
import { certificatePrincipal } from "../oadr3/certificate-auth.ts";
import { buildXml, textOf, XmlInvalid, type XmlNode, XmlRefused } from "../xml/index.ts";
import { recordCancelled } from "./cancelled.ts";
import type { Inbound, Oadr2bDeps } from "./context.ts";
import { createdEvent, requestEvent } from "./event-service.ts";
import { optRoutes } from "./opt-routes.ts";
import { cancelOpt, createOpt } from "./opt-service.ts";
import { validatedMessage } from "./parse-memo.ts";
import { poll } from "./poll.ts";
import { PollCache } from "./poll-cache.ts";
import { markPushVensDue, pushTransport } from "./push.ts";
import { cancelPartyRegistration, createPartyRegistration, queryRegistration } from "./register-party.ts";
import { registrationMemoryFor } from "./registrations.ts";
import { acknowledged, cancelReport, createReport, registerReport, updateReport } from "./report-service.ts";
import { reregistrationRoutes } from "./reregistration.ts";
import { oadr20bSchema } from "./schema-file.ts";
import { checkPayloadSignature } from "./signature.ts";
import { signOutbound, signsFor, type VtnSigning } from "./vtn-signing.ts";
import { CODE, Oadr2bError, oadrResponse, ValidatedText } from "./wire.ts";

export const OADR2B_PREFIX = "/OpenADR2/Simple/2.0b";

import { oadr2bTables } from "./schema.ts";

export { oadr2bTables };

export interface Oadr2bOptions {
  core: Core;
  store: Store;
  verifier: TokenVerifier;
  /** For TLS client certificates (mutual TLS, tlsClientCa): the clients their subject CN names. */
  clients?: ClientRegistry;
  /** ei:vtnID; default "gridlink". */
  vtnId?: string;
  /** oadrRequestedOadrPollFreq in seconds; default 10. */
  pollSeconds?: number;
  now?: () => Date;
  /** Where the 3.1 API is mounted, for the opts extension (GET {prefix}/events/{id}/opts). */
  oadr31Prefix: string;
  /** The VTN signs its messages with this key (vtn-signing.ts; config oadr2bSigningKey/Cert). */
  signing?: VtnSigning;
  /** Push VENs' messages go through its outbox (push.ts; the URL policy and retries of webhooks). */
  notifier?: Pick<Notifier, "queue" | "serve" | "wake">;
}

type Handler = (deps: Oadr2bDeps, m: Inbound) => Promise<XmlNode | string | ValidatedText>;

/** The messages each service accepts (DIGEST-openadr.md 2.3), and who handles them. */
const SERVICES: Record<string, Record<string, Handler>> = {
  EiRegisterParty: {
    oadrQueryRegistration: queryRegistration,
    oadrCreatePartyRegistration: createPartyRegistration,
    oadrCancelPartyRegistration: cancelPartyRegistration,
    oadrCanceledPartyRegistration: acknowledged,
    oadrResponse: acknowledged,
  },
  EiEvent: { oadrRequestEvent: requestEvent, oadrCreatedEvent: createdEvent },
  EiReport: {
    oadrRegisterReport: registerReport,
    oadrRegisteredReport: acknowledged,
    oadrCreatedReport: acknowledged,
    oadrUpdateReport: updateReport,
    oadrCreateReport: createReport,
    oadrCancelReport: cancelReport,
    oadrCanceledReport: acknowledged,
  },
  EiOpt: { oadrCreateOpt: createOpt, oadrCancelOpt: cancelOpt },
  OadrPoll: { oadrPoll: poll },
};

export { oadr20bSchema };

/** The limits every inbound message is guarded with (exported for bench/support/floor-server.ts). */
export const LIMITS = { maxBytes: 1024 * 1024, maxDepth: 48 };

/**
 * Messages that ask and change nothing the VEN owns: the audit trail takes them as reads, as it
 * does 3.1's GETs (a pull VEN's oadrPoll every few seconds is the 2.0b polling path). Refusals
 * (401) are still audited, and so is every other 2.0b message.
 */
const READS = new Set(["oadrPoll", "oadrQueryRegistration", "oadrRequestEvent"]);

function requestIdOf(body: XmlNode): string {
  const created = body.eiCreatedEvent as XmlNode | undefined;
  const request = body.eiRequestEvent as XmlNode | undefined;
  return (
    textOf(body.requestID) ??
    textOf(request?.requestID) ??
    textOf((created?.eiResponse as XmlNode | undefined)?.requestID) ??
    ""
  );
}

/** The 2.0b code for a refusal from core (its typed errors) or from this binding. */
function codeOf(err: unknown): { code: number; message: string } | undefined {
  if (err instanceof Oadr2bError) return { code: err.code, message: err.message };
  if (err instanceof Invalid) return { code: CODE.INVALID_DATA, message: err.message };
  if (err instanceof NotFound) return { code: CODE.INVALID_ID, message: err.message };
  if (err instanceof Forbidden) return { code: CODE.NOT_REGISTERED, message: err.message };
  if (err instanceof Conflict) return { code: CODE.CONFLICT, message: err.message };
  if (err instanceof CoreError) return { code: err.status, message: err.message };
  return undefined;
}

/** Mounts the services at OADR2B_PREFIX and the opts extension under the 3.1 prefix. */
export async function oadr2bBinding(app: FastifyInstance, opts: Oadr2bOptions): Promise<void> {
  const deps: Oadr2bDeps = {
    core: opts.core,
    store: opts.store,
    vtnId: opts.vtnId ?? "gridlink",
    pollSeconds: opts.pollSeconds ?? 10,
    now: opts.now ?? (() => new Date()),
    signing: opts.signing,
    outbox: opts.notifier,
    pollCache: new PollCache(opts.store),
    registrations: registrationMemoryFor(opts.store),
  };
  bumpModificationNumbers(opts.store, deps);
  const unserve = opts.notifier?.serve("OADR2B", pushTransport(deps));
  app.addHook("onClose", async () => {
    unserve?.();
    deps.pollCache?.close();
  });
  await app.register(services, {
    prefix: OADR2B_PREFIX,
    deps,
    verifier: opts.verifier,
    clients: opts.clients,
    afterEach: () => opts.notifier?.wake(),
  });
  await app.register(optRoutes, { prefix: opts.oadr31Prefix, deps, verifier: opts.verifier });
  await app.register(reregistrationRoutes, { prefix: opts.oadr31Prefix, deps, verifier: opts.verifier });
}

interface ServiceOptions {
  deps: Oadr2bDeps;
  verifier: TokenVerifier;
  clients?: ClientRegistry;
  /** After each handled message (a push registration may have made something due). */
  afterEach: () => void;
}

async function services(app: FastifyInstance, opts: ServiceOptions): Promise<void> {
  const { deps } = opts;
  const xsd = oadr20bSchema();

  // 2.0b senders label their XML variously (application/xml, text/xml, none): take any body as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: LIMITS.maxBytes + 64 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  const send = (reply: FastifyReply, message: XmlNode | string | ValidatedText, status = 200, sign = false) => {
    const checked = message instanceof ValidatedText && !(sign && deps.signing);
    let text =
      message instanceof ValidatedText ? message.text : typeof message === "string" ? message : buildXml(message);
    if (sign && deps.signing) text = signOutbound(text, deps.signing);
    const issues = checked ? [] : xsd.issues(text, { maxBytes: 16 * 1024 * 1024, maxDepth: 64 });
    if (issues.length > 0) {
      // Our own reply failed the schema: a bug here, never the VEN's; it gets a valid refusal.
      reply.log.error({ issues, text }, "oadr2b: an outbound message failed oadr_20b.xsd");
      text = buildXml(oadrResponse(CODE.OTHER, "the VTN could not build a valid reply", ""));
    }
    return reply.code(status).type("application/xml; charset=utf-8").send(text);
  };

  app.setErrorHandler((err, req, reply) => {
    // Fastify's own refusals (body too large, bad content) in the 2.0b dialect, never a stack.
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, "oadr2b: request failed");
    const code = status >= 500 ? CODE.OTHER : status;
    return send(
      reply,
      oadrResponse(code, status >= 500 ? "internal error" : (err as Error).message, ""),
      status >= 500 ? 200 : status,
    );
  });

  app.post<{ Params: { service: string } }>("/:service", async (req, reply) => {
    const handlers = SERVICES[req.params.service];
    if (!handlers) return send(reply, oadrResponse(CODE.NOT_FOUND, `no 2.0b service ${req.params.service}`, ""), 404);
    let principal: Principal;
    try {
      // A token verified before and still in the verifier's cache (expiry, revocation and the
      // recheck bound respected, auth/tokens.ts) without a promise: the polling path.
      const token = bearerOf(req);
      principal = (token !== undefined ? opts.verifier.cached?.(token) : undefined) ?? (await authenticate(req, opts));
      req.principal = principal; // the audit trail names who sent it (audit/requests.ts)
    } catch (err) {
      return send(reply, oadrResponse(CODE.NOT_REGISTERED, (err as Error).message, ""), 401);
    }
    const text = typeof req.body === "string" ? req.body : "";
    let body: XmlNode;
    let name: string;
    let requestSigned = false;
    try {
      const tree = validatedMessage(xsd, text, LIMITS);
      const signed = (tree.oadrPayload as XmlNode | undefined)?.oadrSignedObject as XmlNode | undefined;
      if (!signed) throw new Oadr2bError(CODE.BAD_REQUEST, "a 2.0b message is an oadrPayload with an oadrSignedObject");
      // A signed payload must verify (integrity, with the certificate in its KeyInfo); unsigned is fine.
      if ((tree.oadrPayload as XmlNode).Signature !== undefined) {
        const check = checkPayloadSignature(text);
        if (check.signed && !check.valid) throw new Oadr2bError(CODE.BAD_REQUEST, `XML signature: ${check.reason}`);
        requestSigned = check.signed;
      }
      name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
      body = signed[name] as XmlNode;
    } catch (err) {
      const message =
        err instanceof XmlInvalid || err instanceof XmlRefused || err instanceof Oadr2bError
          ? err.message
          : "not a 2.0b message";
      return send(reply, oadrResponse(CODE.BAD_REQUEST, message, ""));
    }
    const requestID = requestIdOf(body);
    if (READS.has(name)) req.auditAsRead = true;
    const handler = handlers[name];
    if (!handler)
      return send(
        reply,
        oadrResponse(CODE.BAD_REQUEST, `${name} is not a message of ${req.params.service}`, requestID),
      );
    try {
      const certificate = peerFingerprint(req);
      const answer = await handler(deps, { principal, name, body, requestID, certificate });
      // A push VEN gets what is due after its registration reply is out.
      if (name === "oadrCreatePartyRegistration") reply.raw.once("finish", opts.afterEach);
      return send(reply, answer, 200, deps.signing !== undefined && (await signsFor(deps, principal, requestSigned)));
    } catch (err) {
      const refusal = codeOf(err);
      if (!refusal) {
        req.log.error({ err }, `oadr2b: ${name} failed`);
        return send(reply, oadrResponse(CODE.OTHER, "the VTN could not process the message", requestID));
      }
      return send(
        reply,
        oadrResponse(refusal.code, refusal.message, requestID),
        200,
        await signsFor(deps, principal, requestSigned),
      );
    }
  });
}

/**
 * A bearer token of the token issuer (the same principals as 3.1), or else — over HTTPS with
 * tlsClientCa — a verified client certificate whose subject CN names an enabled client (the
 * profile's mutual TLS; its fingerprint is then the VEN's venID). docs/oadr2b.md.
 */
async function authenticate(req: FastifyRequest, opts: ServiceOptions): Promise<Principal> {
  const token = bearerOf(req);
  if (token !== undefined) return opts.verifier.verify(token);
  const byCertificate = opts.clients ? await certificatePrincipal(req, opts.clients) : undefined;
  if (byCertificate) return byCertificate;
  throw new Error("send Authorization: Bearer <token> (a VEN client's token from /auth/token) or a client certificate");
}

const bearerOf = (req: FastifyRequest) => bearerToken(req.headers.authorization);

const bumped = new WeakSet<Store>();
const PUSH_KINDS = new Set(["EVENT", "PROGRAM", "VEN", "RESOURCE"]);

/**
 * eventDescriptor/modificationNumber: +1 on every update of an event, in the writing transaction
 * (oadr_ei_20b.xsd: "Incremented each time the event is modified"); gone with the event.
 */
function bumpModificationNumbers(store: Store, deps: Oadr2bDeps): void {
  if (bumped.has(store)) return;
  bumped.add(store);
  store.onChange(async (tx, changes) => {
    // What a push VEN is sent may change with events, programs (market context) and grants.
    await markPushVensDue(
      deps,
      tx,
      changes.filter((c) => PUSH_KINDS.has(c.kind)),
    );
    for (const c of changes) {
      if (c.kind !== "EVENT" || c.operation === "CREATE") continue;
      const t = tx.tables(oadr2bTables);
      // A deleted (or closed) event is still sent to the VENs as cancelled (cancelled.ts).
      if (c.operation === "DELETE") {
        await recordCancelled(tx, c.object as Event, "DELETE", deps.now());
        await t.deleteFrom("oadr2b_event_mods").where("event_id", "=", c.object.id).execute();
      } else {
        await t
          .insertInto("oadr2b_event_mods")
          .values({ event_id: c.object.id, modification_number: 1 })
          .onConflict((oc) =>
            oc
              .column("event_id")
              .doUpdateSet((eb) => ({ modification_number: eb("oadr2b_event_mods.modification_number", "+", 1) })),
          )
          .execute();
        await recordCancelled(tx, c.object as Event, "UPDATE", deps.now());
      }
    }
  });
}
