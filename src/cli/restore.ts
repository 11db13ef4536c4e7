import { resolve } from "node:path";
import { UsageError } from "../app/boot.ts";
import { resolveConfigPath, resolveDbPath } from "../app/paths.ts";
import { loadOrg } from "../config/load.ts";
import { RestoreRefused, restoreDatabase, restoredLines } from "../lifetime/restore.ts";
import { checkLine } from "../lifetime/verify.ts";
import { readArgs } from "./args.ts";
import { shown } from "./setup.ts";

/** `sos restore FILE [--force]`: the database replaced by a checked backup. */
export async function restore(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs("restore", argv, { force: { type: "boolean" } }, true);
  if (positionals.length !== 1)
    throw new UsageError(
      "sos restore needs one backup file: `sos restore FILE [--force]`. See `sos restore --help`.",
    );
  const dbPath = resolveDbPath(process.env, process.cwd());
  if (dbPath === ":memory:") throw new UsageError("SOS_DB is :memory:, which cannot be restored into");
  // Only the config's agency is needed: the database is replaced, not opened through the usual checks.
  const org = loadOrg(resolveConfigPath(process.env, process.cwd()));
  const req = {
    file: resolve(process.cwd(), positionals[0]!),
    dbPath,
    org,
    force: values.force === true,
    shown,
  };
  try {
    const restored = await restoreDatabase(req);
    for (const l of restoredLines(restored, req, checkLine(restored.check))) process.stdout.write(`${l}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RestoreRefused) throw new UsageError(e.message);
    throw e;
  }
}
