// Mutual TLS as an authentication method beside OAuth2 (IEC 62351-3; docs/security.md): a client
// certificate the TLS layer verified against the client CA and CRL (tls.ts) authenticates the
// client its subject CN names, with that client's role, while the client is enabled.
import type { TLSSocket } from "node:tls";
import type { FastifyRequest } from "fastify";
import type { ClientRegistry } from "../../auth/clients.ts";
import { Unauthorized } from "../../core/errors.ts";
import { type Principal, principalFor } from "../../core/principal.ts";
import { peerCertificate } from "../../tls.ts";

/** The principal of the request's client certificate; undefined when none was presented. */
export async function certificatePrincipal(
  req: FastifyRequest,
  clients: ClientRegistry,
): Promise<Principal | undefined> {
  const socket = req.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== "function") return undefined;
  const presented = socket.getPeerCertificate();
  if (!presented || Object.keys(presented).length === 0) return undefined;
  const cert = peerCertificate(req);
  if (!cert)
    throw new Unauthorized(`the client certificate is not accepted (${socket.authorizationError ?? "unverified"})`);
  const client = cert.commonName ? await clients.get(cert.commonName) : undefined;
  if (!client || client.disabled)
    throw new Unauthorized("the client certificate names no enabled client (its subject CN must be a client id)");
  return principalFor(client.role, client.clientId);
}
