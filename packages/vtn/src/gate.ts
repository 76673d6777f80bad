// Bytes of list answers in flight (issue 15 hole 4, "one VEN can freeze the VTN"). An answer of
// large objects (reports of ~900 KB, up to listMaxBytes each) holds its bytes from the moment it
// is admitted, before the store is read, until the socket has taken the last of them (the
// response's "close"): an answer written to a reader that does not read stays in the VTN's memory,
// so it keeps its hold. Past the bound the next answer waits its turn, and so does a client past
// its own share: one client's stalled or parallel readers cannot take the whole budget, and the
// server's memory and event loop are spent on at most `total` bytes of answers at once. A client
// waiting is better than the server stalling. A waiter is let in on a later turn of the event
// loop (setImmediate), so that requests such as /health are read and answered between answers.
// Hand-written: a byte-weighted, per-client-fair queue is not what the queue libraries we know
// offer (p-limit and p-queue count tasks).
import type { IncomingMessage, ServerResponse } from "node:http";

interface Waiter {
  client: string;
  bytes: number;
  go: (release: Hold) => void;
}

/** An admitted answer's hold on the budget: `resize` once its size is known, `release` when sent. */
export interface Hold {
  resize(bytes: number): void;
  release(): void;
}

export class ByteGate {
  private held = 0;
  private readonly heldBy = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private scheduled = false;

  /**
   * @param total bytes of answers in flight at most (one answer larger than that is let in alone)
   * @param perClient bytes one client's answers may hold at most (one answer at least)
   */
  constructor(
    readonly total: number,
    readonly perClient: number,
  ) {}

  /** Waits until an answer of at most `bytes` may be made for `client`; resolves with its hold. */
  admit(client: string, bytes: number): Promise<Hold> {
    return new Promise((go) => {
      this.waiting.push({ client, bytes, go });
      this.schedule();
    });
  }

  /** Bytes held now (all, and by one client) and answers waiting. */
  load(client?: string): { held: number; heldByClient: number; waiting: number } {
    return {
      held: this.held,
      heldByClient: client === undefined ? 0 : (this.heldBy.get(client) ?? 0),
      waiting: this.waiting.length,
    };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private fits(w: Waiter): boolean {
    const mine = this.heldBy.get(w.client) ?? 0;
    return (this.held === 0 || this.held + w.bytes <= this.total) && (mine === 0 || mine + w.bytes <= this.perClient);
  }

  // In order of arrival, each waiter that fits now; one that does not (its client is at its
  // share) does not keep the others out.
  private pump(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i] as Waiter;
      if (!this.fits(w)) {
        if (this.held >= this.total) return;
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      w.go(this.hold(w.client, w.bytes));
    }
  }

  private add(client: string, bytes: number): void {
    this.held += bytes;
    const mine = (this.heldBy.get(client) ?? 0) + bytes;
    if (mine > 0) this.heldBy.set(client, mine);
    else this.heldBy.delete(client);
  }

  private hold(client: string, bytes: number): Hold {
    let mine = bytes;
    this.add(client, mine);
    let released = false;
    return {
      resize: (n) => {
        if (released) return;
        this.add(client, n - mine);
        mine = n;
        this.schedule();
      },
      release: () => {
        if (released) return;
        released = true;
        this.add(client, -mine);
        this.schedule();
      },
    };
  }
}

const gates = new WeakMap<object, ByteGate>();

/**
 * The one gate of list answers of large objects for `owner` (the VTN's core): every binding that
 * answers such lists shares its budget. `maxBytes` is the bound of one answer (listMaxBytes):
 * four answers in flight, two of them one client's.
 */
export function answerGate(owner: object, maxBytes: number): ByteGate {
  let g = gates.get(owner);
  if (!g) {
    g = new ByteGate(4 * maxBytes, 2 * maxBytes);
    gates.set(owner, g);
  }
  return g;
}

/**
 * Admits an answer to `res` for `client`: its hold is released when `res` closes (the socket took
 * it all, or the connection is gone). Undefined when the connection closed while it waited: then
 * there is nobody to read the store for.
 */
export async function admitAnswer(
  gate: ByteGate,
  client: string,
  bytes: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Hold | undefined> {
  let hold: Hold | undefined;
  let closed = res.destroyed || req.socket.destroyed;
  res.once("close", () => {
    closed = true;
    hold?.release();
  });
  hold = await gate.admit(client, bytes);
  if (!closed) return hold;
  hold.release();
  return undefined;
}
