// A VTN in its own process, for tests that kill it: `node --import tsx run-vtn.ts <dataDir>`.
// Prints one JSON line {url, demo} on stdout once it listens on an ephemeral loopback port.
import { createVtn } from "../index.ts";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: run-vtn.ts <dataDir>\n");
  process.exit(2);
}
const vtn = await createVtn({ host: "127.0.0.1", port: 0, dataDir, logLevel: "silent", tokenRateLimitPerMinute: 0 });
const url = await vtn.listen();
process.stdout.write(`${JSON.stringify({ url, demo: vtn.demo ?? null })}\n`);
