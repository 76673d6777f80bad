// A token endpoint for the benchmarks with thousands of VENs (node-propagation, cems-sites): it
// answers the client credentials grant (RFC 6749 §4.4) with a token minted by the VTN's own
// built-in issuer (BuiltinIssuer.issue, the same HS256 key and claims POST /auth/token uses), but
// it does not check the secret. The login's scrypt comparison is not what these benchmarks
// measure, and one per site made set-up take longer than the runs; every token is still verified
// by the VTN on every request and every MQTT connection. Bench-only: never part of a VTN.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface MintedTokens {
  /** The token URL to give each VenClient (`tokenUrl`). */
  url: string;
  /** How many tokens it handed out. */
  readonly issued: number;
  close(): Promise<void>;
}

export async function serveMintedTokens(
  mint: (clientId: string) => Promise<string>,
  ttlSeconds: number,
): Promise<MintedTokens> {
  let issued = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const clientId = form.get("client_id");
    const answer = (status: number, body: unknown) => {
      // Closed at once: thousands of sites each fetch one token, and kept-alive sockets on both
      // ends in one process would hold two file descriptors per site for nothing.
      res.writeHead(status, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify(body));
    };
    if (form.get("grant_type") !== "client_credentials" || !clientId)
      return answer(400, { error: "invalid_request", error_description: "client_credentials with a client_id" });
    try {
      const token = await mint(clientId);
      issued++;
      answer(200, { access_token: token, token_type: "Bearer", expires_in: ttlSeconds });
    } catch (e) {
      answer(401, { error: "invalid_client", error_description: (e as Error).message });
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    get issued() {
      return issued;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
