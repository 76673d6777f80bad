// The bounded LRU every cache of the VTN uses. lru-cache keeps arrays of `max` slots and its
// clear() fills them all, even when the cache holds nothing: a cache cleared on every commit
// (granted targets on each ven write, read caches on each write of their kind) then costs
// O(max) per write. This one clears only when it holds something.
import { LRUCache } from "lru-cache";

export class Lru<K extends {}, V extends {}> extends LRUCache<K, V> {
  override clear(): void {
    if (this.size > 0) super.clear();
  }
}
