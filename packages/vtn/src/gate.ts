// At most `limit` of some work at once; the rest wait their turn in order. For list answers of
// large objects (up to listMaxBytes each, issue 15 hole 4): their reads and joins run on the one
// event loop, so sixteen at once kept /health waiting for all of them; two at a time bound the
// wait to about two answers. Hand-written: ten lines, where a dependency would bring a queue
// library's options we do not use.
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((go) => this.waiting.push(go));
    try {
      return await work();
    } finally {
      // The turn passes to the next in line, or the place is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** How many run now, and how many wait. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
