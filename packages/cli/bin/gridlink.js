#!/usr/bin/env node
// Runs the TypeScript CLI in this very process: tsx's loader is registered here, then main.ts is
// imported. No second node process, so SIGTERM/SIGINT sent to this process reach the VTN itself
// (a supervisor's stop, Ctrl-C) and its exit code is ours.
import { register } from "tsx/esm/api";

// Before tsx's hooks: modules that cost far more loaded through them (@gridlink/vtn/preload says which).
await import("@gridlink/vtn/preload");

// tsx inlines source maps; with them on, stack traces name the .ts lines.
process.setSourceMapsEnabled(true);
register();
await import("../src/main.ts");
