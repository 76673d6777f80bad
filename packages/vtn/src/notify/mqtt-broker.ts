// The embedded MQTT broker (aedes, MQTT 3.1.1) with the notifier binding's authentication and
// ACLs (notifier doc §9, §12; Definition.md §Security "MQTT": "A VTN MUST configure, and enforce,
// access to the MQTT broker's topics"):
// - OAUTH2_BEARER_TOKEN: the password is the client's OpenADR access token, checked like an API
//   request; the username is the token's clientID ("{clientID}") or the configured literal.
// - Who may subscribe to which topic is core's MQTT topic policy (core/policy/mqtt-topic.ts),
//   injected as `maySubscribe`; no client publishes (notifications come from the VTN only).
// - ANONYMOUS: anyone connects and subscribes to anything (a private network only; docs/notifications.md).

import { readFileSync } from "node:fs";
import { createServer as createNetServer, type Server } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { Aedes, type Client } from "aedes";
import type { TokenVerifier } from "../auth/tokens.ts";
import type { Principal } from "../core/principal.ts";

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
  /** Called when a client connects or disconnects. */
  onClients?(): void;
}

export class EmbeddedBroker {
  private readonly principals = new WeakMap<Client, Principal>();

  private constructor(
    readonly aedes: Aedes,
    private readonly server: Server,
    readonly port: number,
    readonly secure: boolean,
  ) {}

  static async start(opts: BrokerOptions): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
    const server = opts.tls
      ? createTlsServer({ cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) }, aedes.handle)
      : createNetServer(aedes.handle);
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
    broker.guard(opts);
    aedes.on("clientError", (client, err) => opts.onError(`MQTT client ${client?.id ?? "?"} error`, err));
    aedes.on("clientReady", () => opts.onClients?.());
    aedes.on("clientDisconnect", () => setImmediate(() => opts.onClients?.()));
    return broker;
  }

  private guard(opts: BrokerOptions): void {
    const { aedes } = this;
    aedes.authenticate = (client, username, password, done) => {
      if (opts.auth === "ANONYMOUS") return done(null, true);
      const refuse = (why: string) => {
        const err = Object.assign(new Error(why), { returnCode: 4 as const });
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
          this.principals.set(client, p);
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

  get connectedClients(): number {
    return this.aedes.connectedClients;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
