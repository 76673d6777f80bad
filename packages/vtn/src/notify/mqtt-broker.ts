// The embedded MQTT broker (aedes, MQTT 3.1.1) with the notifier binding's authentication and
// ACLs (notifier doc §9, §12; Definition.md §Security "MQTT": "A VTN MUST configure, and enforce,
// access to the MQTT broker's topics"):
// - OAUTH2_BEARER_TOKEN: the password is the client's OpenADR access token, checked like an API
//   request; the username is the token's clientID ("{clientID}") or the configured literal.
// - Who may subscribe to which topic is core's MQTT topic policy (core/policy/mqtt-topic.ts),
//   injected as `maySubscribe`; no client publishes (notifications come from the VTN only).
// - ANONYMOUS: anyone connects and subscribes to anything (a private network only; docs/notifications.md).
// - An MQTT client id (and the persistent session under it) belongs to the principal that first
//   used it: another principal presenting it is refused (CONNACK 2, identifier rejected) instead of
//   taking the session over or disconnecting its holder (issue 15, holes 1 and 2).
// - Packet sizes, logins still pending and the CONNECT timeout are bounded (mqtt-guard.ts).

import { readFileSync } from "node:fs";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { Aedes, type Client } from "aedes";
import type { TokenVerifier } from "../auth/tokens.ts";
import type { Principal } from "../core/principal.ts";
import { MqttConnectionGuard, type MqttLimits } from "./mqtt-guard.ts";

export type MqttAuthMethod = "OAUTH2_BEARER_TOKEN" | "ANONYMOUS";

export interface BrokerOptions {
  host: string;
  port: number;
  tls?: { certFile: string; keyFile: string };
  auth: MqttAuthMethod;
  /** The username clients must send with OAUTH2_BEARER_TOKEN: "{clientID}" or a literal. */
  username: string;
  verifier: TokenVerifier;
  /** Whether `p` may subscribe to the topic filter (core's MQTT topic policy). */
  maySubscribe(p: Principal, filter: string): Promise<boolean>;
  /** Whether a client may publish (core's MQTT topic policy: none may). */
  mayPublish(): boolean;
  onError(msg: string, err?: unknown): void;
  limits: MqttLimits & {
    /** Connections at once, logged in or not. */
    maxConnections: number;
    /** A connection that has not completed its CONNECT by then is closed, ms. */
    connectTimeoutMs: number;
  };
  /** Called when a client connects or disconnects. */
  onClients?(): void;
}

export class EmbeddedBroker {
  private readonly principals = new WeakMap<Client, Principal>();
  /** MQTT client id -> the clientID of the principal whose session it names. */
  private readonly sessionOwners = new Map<string, string>();

  private constructor(
    readonly aedes: Aedes,
    private readonly server: Server,
    readonly port: number,
    readonly secure: boolean,
  ) {}

  static async start(opts: BrokerOptions): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker({
      drainTimeout: 30_000,
      connectTimeout: opts.limits.connectTimeoutMs,
      maxClientsIdLength: 128,
    });
    const guard = new MqttConnectionGuard(opts.limits);
    const handle = (socket: Socket) => {
      if (!guard.admit(socket)) return;
      aedes.handle(socket);
      guard.watch(socket);
    };
    const server = opts.tls
      ? createTlsServer({ cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) }, handle)
      : createNetServer(handle);
    server.maxConnections = opts.limits.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, opts.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : opts.port;
    const broker = new EmbeddedBroker(aedes, server, port, Boolean(opts.tls));
    broker.guard(opts, guard);
    aedes.on("clientError", (client, err) => opts.onError(`MQTT client ${client?.id ?? "?"} error`, err));
    aedes.on("clientReady", () => opts.onClients?.());
    aedes.on("clientDisconnect", (client) => {
      // A clean session leaves nothing behind: its id is free again.
      const p = broker.principals.get(client);
      if (client.clean && p && broker.sessionOwners.get(client.id) === p.clientId)
        broker.sessionOwners.delete(client.id);
      setImmediate(() => opts.onClients?.());
    });
    return broker;
  }

  private guard(opts: BrokerOptions, connections: MqttConnectionGuard): void {
    const { aedes } = this;
    aedes.authenticate = (client, username, password, done) => {
      if (opts.auth === "ANONYMOUS") return done(null, true);
      const refuse = (why: string, returnCode: 2 | 4 = 4) => {
        const err = Object.assign(new Error(why), { returnCode });
        done(err as never, false);
      };
      if (!password || password.length === 0) return refuse("send the OpenADR access token as the MQTT password");
      opts.verifier.verify(password.toString("utf8")).then(
        (p) => {
          const expected = opts.username === "{clientID}" ? p.clientId : opts.username;
          if (username !== expected)
            return refuse(
              `the MQTT username must be ${opts.username === "{clientID}" ? "the token's clientID" : `"${expected}"`}`,
            );
          const owner = this.sessionOwners.get(client.id);
          if (owner !== undefined && owner !== p.clientId)
            return refuse(`the MQTT client id ${client.id} belongs to another client's session`, 2);
          this.sessionOwners.set(client.id, p.clientId);
          this.principals.set(client, p);
          connections.loggedIn(client.conn);
          done(null, true);
        },
        () => refuse("the access token is not valid"),
      );
    };
    aedes.authorizePublish = (_client, _packet, callback) =>
      callback(opts.mayPublish() ? null : new Error("clients do not publish on this broker"));
    aedes.authorizeSubscribe = (client, sub, callback) => {
      if (opts.auth === "ANONYMOUS") return callback(null, sub);
      const p = this.principals.get(client);
      if (!p) return callback(null, null);
      opts.maySubscribe(p, sub.topic).then(
        (ok) => callback(null, ok ? sub : null),
        (err) => {
          opts.onError("MQTT subscribe check failed", err);
          callback(null, null);
        },
      );
    };
  }

  publish(topic: string, payload: Buffer, retain: boolean): Promise<void> {
    return new Promise((resolve, reject) =>
      this.aedes.publish({ cmd: "publish", topic, payload, qos: 1, retain, dup: false } as never, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }

  /** Closes every connection of a client (revoked: disabled or removed), and forgets its sessions. */
  disconnect(clientId: string): number {
    let n = 0;
    // aedes keeps its connected clients by MQTT client id (not in its type declarations).
    const clients = (this.aedes as unknown as { clients: Record<string, Client> }).clients;
    for (const c of Object.values(clients)) {
      if (this.principals.get(c)?.clientId !== clientId) continue;
      c.close();
      n++;
    }
    return n;
  }

  get connectedClients(): number {
    return this.aedes.connectedClients;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
