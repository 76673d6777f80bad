// Limits of the embedded broker's connections before and after login (issue 15, hole 3): the MQTT
// fixed header announces a packet's length up to 256 MiB (MQTT 3.1.1 §2.2.3) and the parser
// buffers that much before the CONNECT is even read, so the length is checked as the bytes come
// in; connections that have not logged in yet are counted and capped.
import type { Socket } from "node:net";

export interface MqttLimits {
  /** Largest packet a client may send (clients only connect, subscribe and ping). */
  maxPacketBytes: number;
  /** Connections at once that have not completed their CONNECT. */
  maxPendingConnections: number;
}

/** Reads MQTT fixed headers off a byte stream and reports each packet's announced length. */
class PacketLengths {
  private state: "type" | "length" | "body" = "type";
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private left = 0;

  /** Feeds bytes; false as soon as a packet announces more than `max` bytes or a bad length. */
  feed(chunk: Buffer, max: number): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === "type") {
        this.state = "length";
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        i++;
      } else if (this.state === "length") {
        const b = chunk[i++];
        this.length += (b & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes++;
        if (this.length > max) return false;
        if (b & 0x80) {
          if (this.lengthBytes === 4) return false;
          continue;
        }
        this.left = this.length;
        this.state = this.left === 0 ? "type" : "body";
      } else {
        const n = Math.min(this.left, chunk.length - i);
        this.left -= n;
        i += n;
        if (this.left === 0) this.state = "type";
      }
    }
    return true;
  }
}

export class MqttConnectionGuard {
  private readonly pending = new Set<Socket>();

  constructor(private readonly limits: MqttLimits) {}

  /** Counts a new connection; false (and the socket destroyed) when too many wait to log in. */
  admit(socket: Socket): boolean {
    if (this.pending.size >= this.limits.maxPendingConnections) {
      socket.destroy();
      return false;
    }
    this.pending.add(socket);
    socket.once("close", () => this.pending.delete(socket));
    return true;
  }

  /**
   * Watches the packet lengths of a connection the broker handles. Attached after the broker's
   * own 'readable' listener, so 'data' fires on each of its reads without changing the flow, and
   * the connection is cut at the first header over the limit.
   */
  watch(socket: Socket): void {
    const lengths = new PacketLengths();
    socket.on("data", (chunk: Buffer) => {
      if (!lengths.feed(chunk, this.limits.maxPacketBytes)) socket.destroy();
    });
  }

  /** The connection logged in: it no longer counts against the pending cap. */
  loggedIn(socket: unknown): void {
    this.pending.delete(socket as Socket);
  }

  get pendingConnections(): number {
    return this.pending.size;
  }
}
