// The ceiling: a bare node:http server answering every request with fixed bytes (the same bytes
// the VTN answered), after reading the request body. Prints its URL.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [file, status = "200", contentType = "application/json"] = process.argv.slice(2);
const bytes = readFileSync(file);
const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(Number(status), { "content-type": contentType, "content-length": bytes.length });
    res.end(bytes);
  });
});
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") process.stdout.write(`http://127.0.0.1:${a.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
