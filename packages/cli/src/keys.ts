// `gridlink keys rotate`: a new token signing key for the built-in issuer. Tokens signed with the
// previous key keep working until they expire (their `kid` names it); a running VTN picks the new
// key up within a second.
import { existsSync } from "node:fs";
import { loadConfig, SigningKeys } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export const KEYS_USAGE = "gridlink keys rotate [--data-dir DIR]";

export async function runKeys(args: Args): Promise<void> {
  if (args.positional[1] !== "rotate") throw new UsageError(KEYS_USAGE);
  const config = loadConfig({ file: flag(args, "config"), overrides: { dataDir: flag(args, "data-dir") } });
  if (!existsSync(config.dataDir)) throw new UsageError(`no data dir ${config.dataDir}; start the VTN there first`);
  const kid = SigningKeys.rotate(config.dataDir);
  process.stdout.write(
    `new signing key kid=${kid}; tokens signed with the previous key stay valid until they expire\n`,
  );
}
