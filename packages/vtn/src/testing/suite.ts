// One test VTN per describe block: started with the demo actors' tokens in a beforeAll hook the
// helper registers, closed in the matching afterAll. Hooks of a suite run in the order they are
// registered (vitest's default `sequence.hooks: "stack"`), so a beforeAll written after the call
// already sees the VTN.
import { afterAll, beforeAll } from "vitest";
import type { VtnConfig, VtnOptions } from "../index.ts";
import { type Actors, actors, startTestVtn, type TestVtn } from "./vtn.ts";

export interface SuiteVtn {
  /** The suite's VTN; usable inside its hooks and tests. */
  t: TestVtn;
  /** Tokens of the BL and the two demo VENs of `t`. */
  a: Actors;
}

/** Call inside `describe`: `const { t, a } = suiteVtn();`, then use `t` and `a` in the tests. */
export function suiteVtn(config: Partial<VtnConfig> = {}, options: VtnOptions = {}): SuiteVtn {
  let started: { t: TestVtn; a: Actors } | undefined;
  beforeAll(async () => {
    const t = await startTestVtn(config, options);
    started = { t, a: await actors(t) };
  });
  afterAll(() => started?.t.close());
  // `t` and `a` exist only once the hook ran; these stand-ins forward to them, so the test bodies
  // read `t.call(a.bl, …)` as they would with their own variables.
  const late = <K extends keyof SuiteVtn>(key: K): SuiteVtn[K] =>
    new Proxy({} as SuiteVtn[K], {
      get(_, property) {
        if (!started) throw new Error(`suiteVtn: ${key} is used before the suite's beforeAll started the VTN`);
        const value = Reflect.get(started[key], property);
        return typeof value === "function" ? value.bind(started[key]) : value;
      },
    });
  return { t: late("t"), a: late("a") };
}
