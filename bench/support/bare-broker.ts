// The MQTT ceiling: a bare aedes broker (no authentication, no ACL) on a free loopback port, in
// its own process. Prints its URL.
import { createServer } from "node:net";
import { Aedes } from "aedes";

const aedes = await Aedes.createBroker();
const server = createServer(aedes.handle);
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") process.stdout.write(`mqtt://127.0.0.1:${a.port}\n`);
});
process.on("SIGTERM", () => aedes.close(() => server.close(() => process.exit(0))));
