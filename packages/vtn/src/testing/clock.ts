// A clock a test moves by hand, given to `startTestVtn(config, { now: clock.now })`: the test
// sees what happens after a token expired or once a modification time moved, without waiting.
export interface TestClock {
  /** Real time plus every `advance` so far. */
  now: () => Date;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}
