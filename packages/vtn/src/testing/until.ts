// Waiting for a condition where `expect.poll` cannot run (beforeAll, helpers): checks `ok` until
// it holds or `ms` pass, then fails naming what was awaited.
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
