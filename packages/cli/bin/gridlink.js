#!/usr/bin/env node
// Runs the CLI in this very process: no second node process, so SIGTERM/SIGINT sent to this
// process reach the VTN itself (a supervisor's stop, Ctrl-C) and its exit code is ours.
//
// The code run is the bundle built from the TypeScript sources (../build.mjs, at install), built
// again here first when a source changed since. If it cannot be built (a read-only install whose
// build is stale, say), or GRIDLINK_TYPESCRIPT=1 asks for it, the sources run through tsx instead.
import { freshBundle } from "../bundle.mjs";

async function bundled() {
  if (process.env.GRIDLINK_TYPESCRIPT === "1") return undefined;
  const fresh = freshBundle("main.mjs");
  if (fresh) return fresh;
  try {
    const { buildBundles } = await import("../build.mjs");
    await buildBundles();
  } catch (err) {
    process.stderr.write(
      `gridlink: could not build packages/cli/dist (${err instanceof Error ? err.message.split("\n")[0] : err}); ` +
        "running the TypeScript sources through tsx (node packages/cli/build.mjs builds it)\n",
    );
    return undefined;
  }
  return freshBundle("main.mjs");
}

// Stack traces name the .ts lines: the bundle's source map, or the one tsx inlines.
process.setSourceMapsEnabled(true);
const main = await bundled();
if (main) {
  await import(main);
} else {
  // Before tsx's hooks: modules that cost far more loaded through them (@gridlink/vtn/preload says which).
  await import("@gridlink/vtn/preload");
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main.ts");
}
