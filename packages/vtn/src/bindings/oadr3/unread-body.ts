// An error answered before the request body was read (a 413 on Content-Length, a 401 or 415 in
// a hook) leaves the body on the socket. Node then closes the connection once the answer is
// written, and a client still sending sees EPIPE/ECONNRESET, often before it reads the answer.
// Reading the rest and throwing it away first lets the answer arrive on a connection that stays
// usable; past a cap the connection is closed after the answer instead (RFC 9110 §15.5.14).
import type { IncomingMessage } from "node:http";

/** Discarded at most, beyond which the client is told to stop (`connection: close`). */
export const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;
const DISCARD_TIMEOUT_MS = 10_000;

/** Reads and drops what is left of `req`'s body; true when it ended within the cap and time. */
export function discardUnreadBody(req: IncomingMessage): Promise<boolean> {
  if (req.complete || req.readableEnded || req.destroyed) return Promise.resolve(!req.destroyed);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ended: boolean) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      req.off("error", onClose);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DISCARD_LIMIT_BYTES) done(false);
    };
    const onEnd = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), DISCARD_TIMEOUT_MS);
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("close", onClose);
    req.once("error", onClose);
    req.resume();
  });
}
