// Browser test support: the console built from the current sources, and Debian's chromium
// driven by playwright-core (installed by .ci/run; `apt-get install chromium` locally).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONSOLE = join(ROOT, "packages/console");
export const ARTIFACTS = join(ROOT, "test-artifacts/console");

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds packages/console/dist unless it is newer than every source file (npm install built it). */
export function ensureConsoleBuilt(): void {
  const index = join(CONSOLE, "dist/index.html");
  const sources = Math.max(
    newestMtime(join(CONSOLE, "src")),
    newestMtime(join(CONSOLE, "index.html")),
    newestMtime(join(CONSOLE, "vite.config.ts")),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync("npm", ["run", "build", "-w", "packages/console"], { cwd: ROOT, stdio: "pipe" });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (CI's .ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
