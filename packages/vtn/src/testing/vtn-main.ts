// The child of `startVtnProcess`: `node --import tsx vtn-main.ts <dataDir> [<config as JSON>]`.
// Prints one JSON line {url, demo} on stdout once it listens; SIGTERM closes it and exits 0.
import { createVtn } from "../index.ts";
import { TEST_VTN_CONFIG } from "./vtn.ts";

const [dataDir, json = "{}"] = process.argv.slice(2);
if (!dataDir) {
  process.stderr.write("usage: vtn-main.ts <dataDir> [<config JSON>]\n");
  process.exit(2);
}
const vtn = await createVtn({ ...TEST_VTN_CONFIG, ...JSON.parse(json), dataDir });
const url = await vtn.listen();
process.stdout.write(`${JSON.stringify({ url, demo: vtn.demo ?? null })}\n`);
process.once("SIGTERM", async () => {
  await vtn.close();
  process.exit(0);
});
