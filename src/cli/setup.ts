import { type Booted, boot, type Opening } from "../app/boot.ts";
import type { Ctx } from "../app/context.ts";
import { resolveConfigPath, resolveDbPath, shown } from "../app/paths.ts";
import { UsageError } from "../app/usage-error.ts";
import { findStaffByEmail } from "../config/org.ts";

export { shown };

/**
 * Config, database and clock, found the same way for every `sos` command; `open` is how the command
 * uses the database (see `Opening`): only start, migrate, sync and demo set it up and sync staff.
 */
export function bootFromEnv(opts: {
  open: Opening;
  today?: string | undefined;
  db?: string;
}): Booted & { configPath: string; dbPath: string } {
  const configPath = resolveConfigPath(process.env, process.cwd());
  const dbPath = resolveDbPath(process.env, process.cwd(), opts.db);
  return {
    ...boot({
      configPath,
      dbPath,
      env: process.env,
      open: opts.open,
      ...(opts.today ? { today: opts.today } : {}),
    }),
    configPath,
    dbPath,
  };
}

/**
 * `--as`/`--worker` naming someone the config lists but the database does not have yet (the config
 * was edited since the last sync): a sentence sending them to `sos sync`; null otherwise.
 */
export function notYetSynced(ctx: Ctx, flag: string, email: string): UsageError | null {
  if (ctx.people.byEmail(email) || !findStaffByEmail(ctx.org, email)) return null;
  return new UsageError(
    `${flag} ${email}: in ${shown(ctx.org.source)} but not yet in ${shown(ctx.store.path)}: run \`sos sync\` first.`,
  );
}
