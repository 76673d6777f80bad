// When to try a failed delivery again: exponential backoff with jitter (Definition.md §Webhooks,
// "Error handling and backing off"), and when to give up (the dead letter).

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is a dead letter. */
  maxAttempts: number;
  /** Delay after the first failure, in ms; doubled after each further one. */
  baseMs: number;
  /** Longest delay between two attempts, in ms. */
  maxMs: number;
}

/**
 * Delay before attempt `failures + 1`, after `failures` failed attempts (≥ 1): half of the
 * exponential step fixed, half random ("equal jitter"), so that receivers that failed together
 * are not retried in one burst. A Retry-After the receiver sent (ms) is honoured up to maxMs.
 */
export function retryDelay(policy: RetryPolicy, failures: number, random = Math.random, retryAfterMs?: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = step / 2 + random() * (step / 2);
  if (retryAfterMs !== undefined && retryAfterMs > jittered) return Math.min(policy.maxMs, retryAfterMs);
  return Math.round(jittered);
}

/** Whether a delivery that has now failed `failures` times is a dead letter. */
export function isDead(policy: RetryPolicy, failures: number): boolean {
  return failures >= policy.maxAttempts;
}

/** A Retry-After header (seconds or an HTTP date) in ms from `now`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
