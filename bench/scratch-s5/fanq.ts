// scratch: time the MQTT fan-out's per-page queries on a 100k database
import { existsSync } from "node:fs";
import { openSqliteStore } from "../../packages/vtn/src/store/sqlite/index.ts";
import { seedBenchVens } from "../support/notify-probe.ts";

const dir = "/tmp/s5/db100k";
if (!existsSync(`${dir}/gridlink.sqlite`)) {
  const { vtn } = await seedBenchVens(dir, 100_000, { mqttBroker: "none", clients: true });
  await vtn.close();
}
const store = await openSqliteStore({ file: `${dir}/gridlink.sqlite`, migrate: false });
for (let round = 0; round < 3; round++) {
  let after = 0,
    pages = 0,
    tv = 0,
    tg = 0,
    n = 0;
  for (;;) {
    const t0 = performance.now();
    const page = await store.venOwners({ after, limit: 500, grantedAnyOf: ["bench"] });
    const t1 = performance.now();
    const g = await store.grantedTargetsOf(page.map((p) => p.object.clientId));
    const t2 = performance.now();
    tv += t1 - t0;
    tg += t2 - t1;
    pages++;
    n += page.length;
    if (g.size !== page.length) throw new Error("grants");
    if (page.length < 500) break;
    after = page[page.length - 1].seq;
  }
  console.log(
    `round ${round}: ${n} vens, ${pages} pages, ven page ${(tv / pages).toFixed(2)} ms, grants ${(tg / pages).toFixed(2)} ms, total ${((tv + tg) / 1000).toFixed(2)} s; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
}
await store.close();
