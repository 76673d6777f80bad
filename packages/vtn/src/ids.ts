// Time-ordered ids for the objects core creates (core/context.ts) and the outbox's rows
// (notify_changes.id, notify_deliveries.id): UUID version 7 (RFC 9562 §5.7: 48 bits of Unix
// milliseconds, then random bits), with rand_a used as a counter within one millisecond (§6.2,
// method 1), so the ids one process makes sort in the order it made them. A new row's id then
// lands at the right edge of the unique index on `id` instead of at a random page of it:
// inserting 100,000 deliveries touches a few index pages, not ~100,000. Unique across instances
// and restarts by the 62 random bits of rand_b (§6.9); the form is a UUID's, as the ids were
// before (an objectID, the API's delivery id and webhook-id take them as they are).
import { randomFillSync } from "node:crypto";

const POOL = 16 * 1024;
const random = Buffer.alloc(POOL);
let used = POOL;
const bytes = Buffer.alloc(16);
let lastMs = 0;
let counter = 0;

/** A UUIDv7 string; `now` is the clock in ms (Date.now()). */
export function timeOrderedId(now = Date.now()): string {
  if (used + 10 > POOL) {
    randomFillSync(random);
    used = 0;
  }
  if (now > lastMs) {
    lastMs = now;
    // A fresh millisecond starts its counter at a random point of the lower half, leaving room
    // to count up (§6.2: "the counter SHOULD be initialized to a random value").
    counter = random.readUInt16BE(used) & 0x7ff;
    used += 2;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond, or a clock gone back: borrow the next millisecond (§6.2).
    lastMs++;
    counter = 0;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  random.copy(bytes, 8, used, used + 8);
  used += 8;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
