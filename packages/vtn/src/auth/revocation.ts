// Revocation at once (issue 15, hole 5; IEC 62351-8 asks that a revoked identity stop working
// without waiting for its credentials to expire). A disable or removal made in this process is
// heard at once (ClientRegistry.onEvent); one made by another process on the same data dir (the
// `gridlink clients` CLI, another instance on PostgreSQL) is read from client_events every
// `everyMs`: that is the bound, documented in docs/security.md.
import type { ClientEvent, ClientRegistry } from "./clients.ts";

export type Revoked = (clientId: string) => void;

export class RevocationWatch {
  private last = 0;
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly clients: ClientRegistry,
    private readonly everyMs: number,
    private readonly revoked: Revoked,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    clients.onEvent((e) => this.hear(e));
  }

  async start(): Promise<void> {
    this.last = await this.clients.lastEvent();
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private hear(e: ClientEvent): void {
    if (e.kind !== "enabled") this.revoked(e.clientId);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const e of await this.clients.eventsAfter(this.last)) {
        this.last = Math.max(this.last, e.seq);
        this.hear(e);
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.polling = false;
    }
  }
}
