// Browser test support: the console built from the current sources, and Debian's chromium
// driven by playwright-core (installed by .ci/run; `apt-get install chromium` locally).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
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

function fresh(): boolean {
  const index = join(CONSOLE, "dist/index.html");
  const sources = Math.max(
    newestMtime(join(CONSOLE, "src")),
    newestMtime(join(CONSOLE, "index.html")),
    newestMtime(join(CONSOLE, "vite.config.ts")),
  );
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

/**
 * Builds packages/console/dist unless it is newer than every source file (npm install built it).
 * Test files run in parallel: a lock directory lets one build while the others wait for it.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const lock = join(CONSOLE, "dist.lock");
  for (const deadline = Date.now() + 120_000; ; ) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file builds; a lock older than two minutes is left over from a crash.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited two minutes for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!fresh()) execFileSync("npm", ["run", "build", "-w", "packages/console"], { cwd: ROOT, stdio: "pipe" });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
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
