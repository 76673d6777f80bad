// A fixed-window counter per key (remote address or client id), kept in memory. The keys are a
// bounded LRU: when full, the least recently counted key is forgotten, never every client's count.
import { LRUCache } from "lru-cache";

/** Keys counted at once; a key idle for longest is dropped first. */
const KEYS_KEPT = 100_000;

export class RateLimiter {
  private readonly windows = new LRUCache<string, { start: number; count: number }>({ max: KEYS_KEPT });

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request for `key`; false when the key is over its limit (0 = unlimited). */
  take(key: string, now = Date.now()): boolean {
    if (this.max <= 0) return true;
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.max;
  }

  /** Whether `key` is over its limit now, without counting a request. */
  exhausted(key: string, now = Date.now()): boolean {
    if (this.max <= 0) return false;
    const w = this.windows.get(key);
    return w !== undefined && now - w.start < this.windowMs && w.count >= this.max;
  }

  retryAfterSeconds(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    return w ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 1;
  }
}
