// The API's HTTP(S) server with its connection limits (issue 15, hole 6: file descriptors): a cap
// on connections, the time a client has for its headers (slowloris) and its whole request, an idle
// timeout; at the cap the oldest idle connection makes room, so that /health and real requests
// still get in. HTTPS after the IEC 62351-3 profile when certificate files are set (tls.ts).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { VtnConfig } from "./config.ts";
import { secureContextOptions, type TlsFiles } from "./tls.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function tlsFiles(c: VtnConfig): TlsFiles | undefined {
  if (!c.tlsCert) return undefined;
  return {
    certFile: c.tlsCert,
    keyFile: c.tlsKey,
    clientCaFile: c.tlsClientCa || undefined,
    crlFile: c.tlsCrl || undefined,
  };
}

/** A Fastify `serverFactory` for this configuration. */
export function apiServerFactory(c: VtnConfig): (handler: Handler) => Server {
  return (handler) => {
    const files = tlsFiles(c);
    const options = {
      headersTimeout: c.httpHeadersTimeoutMs,
      requestTimeout: c.httpRequestTimeoutMs,
      keepAliveTimeout: c.httpKeepAliveTimeoutMs,
      // How often Node looks for requests over those timeouts (its default is 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(c.httpHeadersTimeoutMs / 4))),
    };
    const server: Server = files
      ? (createHttpsServer(
          { ...options, handshakeTimeout: c.httpHeadersTimeoutMs, ...secureContextOptions(files) },
          handler,
        ) as unknown as Server)
      : createHttpServer(options, handler);
    server.setTimeout(c.httpIdleTimeoutMs, (socket) => socket.destroy());
    capConnections(server, c.httpMaxConnections, Boolean(files));
    return server;
  };
}

/**
 * At most `max` connections: one over the cap closes the oldest connection with no request in
 * flight (idle keep-alive, or never sent a byte), so a flood of idle sockets cannot keep /health
 * or a real client out; only when every connection is busy is the newcomer closed instead.
 */
function capConnections(server: Server, max: number, secure: boolean): void {
  /**
   * Open connections, oldest first, with the last response begun on each (none: no request yet).
   * Responses on one connection finish in order (HTTP/1.1 §9.3.2), so a connection has a request
   * in flight exactly when its last response has not finished. Kept per request without a
   * listener per response: this runs on every request (bench/RESULTS.md, the server's floor).
   */
  const open = new Map<Socket, ServerResponse | undefined>();
  server.on(secure ? "secureConnection" : "connection", (socket: Socket) => {
    open.set(socket, undefined);
    socket.once("close", () => open.delete(socket));
    if (open.size <= max) return;
    for (const [s, last] of open) {
      if (s === socket || (last !== undefined && !last.writableFinished && !last.destroyed)) continue;
      s.destroy();
      return;
    }
    socket.destroy();
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    // set() on a key present keeps its place: the map stays oldest connection first.
    if (open.has(req.socket)) open.set(req.socket, res);
  });
}

/** Rereads certificate, key, client CA and CRL (SIGHUP); throws, keeping the old ones, when they are bad. */
export function reloadTls(server: Server, c: VtnConfig): boolean {
  const files = tlsFiles(c);
  if (!files) return false;
  (server as unknown as HttpsServer).setSecureContext(secureContextOptions(files));
  return true;
}
