// Messages a CIM system is sent rather than asked for: asynchronous replies (Header AsyncReplyFlag
// + ReplyAddress, 61968-100; DIGEST-iec62746.md CIM-5) and EventMessages. Each is a delivery of
// the notifier's outbox (channel CIM, notify/direct.ts), written in the transaction that caused
// it where there is one, and sent by the notifier's dispatcher outside any request: the webhook
// URL policy (https unless webhookAllowHttp, no private addresses unless webhookAllowPrivate,
// DNS-rebinding-safe lookups, timeouts, no redirects), its backoff with jitter until delivered or,
// after webhookMaxAttempts, a dead letter; a restart sends what is still pending. The delivery
// API and CLI show them (BL and admin only: the CIM client is a BL client).
import { Invalid } from "../../core/errors.ts";
import { CallbackRefused, checkLiteral, checkScheme, type UrlPolicy } from "../../notify/address-guard.ts";
import { originOf } from "../../notify/fanout.ts";
import type { DirectTransport, Notifier } from "../../notify/index.ts";
import type { StoreTx } from "../../store/types.ts";
import type { Soap } from "./envelope.ts";

export interface OutboundOptions {
  policy: UrlPolicy;
  /** The XML of an EventMessage (rendered when sent: the mRID of a control is known by then). */
  render(body: string, shownTargets: string[] | undefined, soap: Soap): Promise<string>;
  /** Whether the client a message is for is disabled now (a disabled client is sent nothing). */
  disabled(clientId: string): Promise<boolean>;
}

export interface Queued {
  kind: "reply" | "event";
  address: string;
  clientId: string;
  /** A reply: its XML; an event: what the renderer reads. */
  body: string;
  shownTargets?: string[];
  /** The SOAP version the message goes in (the one its request or registration used); none = plain XML. */
  soap?: Soap;
}

/** What a queued message is about (the delivery API's objectType, operation, objectID). */
export interface Subject {
  kind: string;
  operation: string;
  objectId: string;
}

const CONTENT_TYPE: Record<string, string> = {
  "1.1": "text/xml; charset=utf-8",
  "1.2": "application/soap+xml; charset=utf-8",
};

export class CimOutbound {
  constructor(
    private readonly notifier: Pick<Notifier, "queue" | "serve"> | undefined,
    private readonly opts: OutboundOptions,
  ) {}

  /** Throws Invalid unless the URL passes the webhook URL policy (scheme, literal private addresses). */
  checkAddress(url: string, path: string): void {
    try {
      checkLiteral(checkScheme(url, this.opts.policy), this.opts.policy);
    } catch (err) {
      if (err instanceof CallbackRefused) throw new Invalid(path, err.message);
      throw err;
    }
  }

  /** Queues messages about one subject, in the caller's transaction when given one; the delivery ids. */
  async enqueue(subject: Subject, messages: readonly Queued[], tx?: StoreTx): Promise<string[]> {
    if (!this.notifier || messages.length === 0) return [];
    // One body per subject: an event's is shared by its listeners (each with its shown targets).
    const body = JSON.stringify({ kind: messages[0].kind, body: messages[0].body });
    return this.notifier.queue(
      "CIM",
      { ...subject, body },
      messages.map((m) => ({
        endpoint: originOf(m.address),
        target: m.address,
        clientId: m.clientId,
        shownTargets: m.shownTargets,
        format: m.soap || undefined,
      })),
      { tx },
    );
  }

  /** Sends the notifier's CIM deliveries; returns the undo. */
  serve(): () => void {
    return this.notifier?.serve("CIM", this.transport()) ?? (() => {});
  }

  private transport(): DirectTransport {
    return async (d, recorded, sender) => {
      if (await this.opts.disabled(d.client_id ?? ""))
        return { ok: false, final: true, error: "the client is disabled" };
      const { kind, body } = JSON.parse(recorded) as { kind: Queued["kind"]; body: string };
      const soap = (d.format ?? undefined) as Soap;
      let xml: string;
      try {
        xml =
          kind === "event"
            ? await this.opts.render(
                body,
                d.shown_targets ? (JSON.parse(d.shown_targets) as string[]) : undefined,
                soap,
              )
            : body;
      } catch (err) {
        // A message we cannot render valid is never sent: a dead letter naming why.
        return { ok: false, final: true, error: `not rendered: ${(err as Error).message}` };
      }
      return sender.post(d.target, xml, {
        "content-type": (soap && CONTENT_TYPE[soap]) || "application/xml; charset=utf-8",
      });
    };
  }
}
