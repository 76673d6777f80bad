// The VTN's log lines held back until the start banner is out, so that a terminal shows the
// banner (where the VTN is, its console, the credentials) first and the logs after it, instead of
// the banner buried under the start's log lines. Lines are passed on unchanged once released.
import { Writable } from "node:stream";

export class HeldLog extends Writable {
  private held: Buffer[] | undefined = [];

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    // Whatever happens (a failed start, an exit), nothing logged is lost.
    process.once("exit", () => this.release());
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.held) {
      this.held.push(chunk);
      done();
    } else this.out.write(chunk, done);
  }

  /** Writes what was held and passes everything on from now. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const c of held ?? []) this.out.write(c);
  }
}
