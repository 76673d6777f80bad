// Where a VTN listens, as its data dir tells the tools: at each listen the VTN writes its OpenADR
// 3.1.0 base URL into DATA_DIR/vtn.json (packages/vtn/src/server.ts LISTENING_FILE), so a site or
// a simulation started next to it follows it to whatever port it took instead of assuming 8080.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const VTN_LISTENING_FILE = "vtn.json";
export const DEFAULT_VTN_URL = "http://127.0.0.1:8080/openadr3/3.1.0";

/** Where a URL came from, for messages that say how to change it. */
export type UrlSource = "flag" | "env" | "config" | "data dir" | "default";

/** The base URL the VTN of `dataDir` last listened on, if it wrote one. */
export function listeningUrl(dataDir: string): string | undefined {
  const file = join(dataDir, VTN_LISTENING_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const { url } = JSON.parse(readFileSync(file, "utf8")) as { url?: unknown };
    return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `err` (or what caused it) is a refused TCP connection: nothing listens there. */
export function isConnectionRefused(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown; message?: string } | undefined, i = 0; e && i < 8; i++) {
    if (e.code === "ECONNREFUSED" || /ECONNREFUSED/.test(e.message ?? "")) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** The message for a refused connection: where the URL came from and how to give another. */
export function refusedMessage(url: string, from: UrlSource): string {
  const why: Record<UrlSource, string> = {
    flag: "given by --vtn",
    env: "from GRIDLINK_VTN_URL",
    config: "from the config's vtn.url",
    "data dir": `from the data dir's ${VTN_LISTENING_FILE} (the VTN's last start)`,
    default: "the default; no data dir named where a VTN listens",
  };
  return `no VTN answers at ${url} (connection refused; that URL is ${why[from]}). Start the VTN (npm start), or give its URL: --vtn http://HOST:PORT/openadr3/3.1.0`;
}
