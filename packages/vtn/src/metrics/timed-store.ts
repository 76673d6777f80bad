// The store port with every call timed (gridlink_store_operation_duration_seconds). A proxy rather
// than a wrapper class: the port is an interface that grows, and every method should be measured
// without listing them here. Transactions are timed as one "write" (their inner calls are not).
import type { Store } from "../store/types.ts";
import type { VtnMetrics } from "./registry.ts";

/** Methods that register hooks or expose builders: not calls worth timing. */
const UNTIMED = new Set(["onChange", "afterCommit", "tables", "close", "dialect"]);

export function timedStore(store: Store, metrics: VtnMetrics): Store {
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function" || typeof prop !== "string" || UNTIMED.has(prop)) return v;
      return (...args: unknown[]) => {
        const began = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - began) / 1e9;
        const out = v.apply(target, args);
        if (!(out instanceof Promise)) return out;
        return out.then(
          (r) => {
            metrics.observeStore(prop, true, seconds());
            return r;
          },
          (err) => {
            metrics.observeStore(prop, false, seconds());
            throw err;
          },
        );
      };
    },
  });
}
