// Stopping a long-running command on SIGTERM (what systemd, Docker and Kubernetes send) or SIGINT
// (Ctrl-C): the first signal starts a graceful stop and the process exits 0 once it is done; a
// second signal, or a stop that takes longer than the deadline, ends the process at once with 1.
// A signal repeated within SAME_SIGNAL_MS counts as the first: Ctrl-C under `npm start` reaches
// this process twice, once from the terminal (to the whole process group) and once forwarded by npm.
const SAME_SIGNAL_MS = 1000;
/** How often a process started by npm checks that its parent is still there. */
const PARENT_CHECK_MS = 500;

/** Why the stop began: a signal, or (under npm) the parent process went away. */
export type StopReason = NodeJS.Signals | "parent exited";

export interface StopOnSignalOptions {
  /** Give up on a graceful stop after this long (below Kubernetes' default 30 s grace). */
  deadlineMs?: number;
  /** Where the forced-exit lines go (the command's own logger). */
  log: (msg: string) => void;
}

export function stopOnSignal(stop: (reason: StopReason) => Promise<void>, opts: StopOnSignalOptions): void {
  const deadlineMs = opts.deadlineMs ?? 20_000;
  let firstAt: number | undefined;
  let parentWatch: NodeJS.Timeout | undefined;
  const onSignal = (signal: StopReason) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < SAME_SIGNAL_MS) return;
      opts.log(`${signal} again: exiting without waiting for the stop to finish`);
      process.exit(1);
    }
    firstAt = Date.now();
    clearInterval(parentWatch);
    setTimeout(() => {
      opts.log(`not stopped within ${deadlineMs} ms: exiting anyway`);
      process.exit(1);
    }, deadlineMs).unref();
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        opts.log(`stopping failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // `npx gridlink vtn` runs us under npm's `sh -c`: npm forwards a SIGTERM to that shell, which
  // dies without passing it on and leaves us orphaned with nobody to stop us. Under npm (it sets
  // npm_command), a parent that went away is taken as SIGTERM. Not otherwise: a server started with
  // `nohup node ... &` outlives its shell on purpose.
  if (process.env.npm_command) {
    const parent = process.ppid;
    parentWatch = setInterval(() => process.ppid !== parent && onSignal("parent exited"), PARENT_CHECK_MS);
    parentWatch.unref();
  }
}
