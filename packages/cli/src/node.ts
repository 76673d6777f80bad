// `gridlink node --config node.yaml`: a VEN towards an upstream VTN and a VTN towards its own
// members, in one process (packages/node, docs/node.md).
import { everyTick, hhmm, ScaledClock } from "@gridlink/cems";
import { GridlinkNode, loadNodeConfig } from "@gridlink/node";
import { type Args, flag, UsageError } from "./args.ts";
import { stopOnSignal } from "./shutdown.ts";

export const NODE_USAGE = `gridlink node --config node.yaml [--port 8081] [--data-dir ./data-node] [--speed 1] [--status-seconds 10]`;

export async function runNode(args: Args): Promise<void> {
  const file = flag(args, "config");
  if (!file) throw new UsageError(`node needs --config (see examples/node.yaml)\n${NODE_USAGE}`);
  const cfg = loadNodeConfig(file);
  const port = flag(args, "port");
  if (port !== undefined) cfg.vtn.port = Number(port);
  const dataDir = flag(args, "data-dir");
  if (dataDir !== undefined) cfg.vtn.dataDir = dataDir;
  const speed = flag(args, "speed");
  if (speed !== undefined) {
    cfg.simulation.speed = Number(speed);
    if (!(cfg.simulation.speed > 0)) throw new UsageError(`--speed must be a positive number, got "${speed}"`);
  }
  const out = process.stderr;
  const clock = new ScaledClock(cfg.simulation.start, cfg.simulation.speed);
  const node = await GridlinkNode.start(cfg, { clock, onError: (e) => out.write(`  ! ${e.message}\n`) });
  out.write(
    `gridlink node ${cfg.name}: VEN ${cfg.upstream.venName} (${cfg.upstream.resourceName}) at ${cfg.upstream.url}\n`,
  );
  out.write(`  members' VTN (OpenADR 3.1.0) at ${node.url}   data: ${cfg.vtn.dataDir}   split: ${cfg.split.policy}\n`);
  const statusEvery = Number(flag(args, "status-seconds") ?? 10) * 1000;
  let lastStatus = 0;
  const loop = everyTick(Math.max(50, Math.min(1000, 60_000 / cfg.simulation.speed)), async () => {
    await node.advanceTo(clock.now());
    if (Date.now() - lastStatus >= statusEvery) {
      lastStatus = Date.now();
      const now = clock.now().getTime();
      const online = node.fleet.members.filter((m) => node.fleet.online(m, now)).length;
      const w = node.writes;
      out.write(
        `${hhmm(clock.now())}Z  members ${online}/${node.fleet.members.length} online  upstream events ${node.upstream.events().length}  downstream +${w.created} ~${w.updated} -${w.deleted}  reports up ${node.upstream.reportsSent}  intake ${node.upstream.mode}\n`,
      );
    }
  });
  stopOnSignal(
    async () => {
      await loop.stop();
      await node.stop();
    },
    { log: (msg) => out.write(`gridlink: ${msg}\n`) },
  );
}
