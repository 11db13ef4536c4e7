import { UsageError } from "../app/boot.ts";
import { resolveConfigPath } from "../app/paths.ts";
import { bootPg } from "../app/pg-context.ts";
import { setUpLines } from "../app/set-up-report.ts";
import { findStaffByEmail } from "../config/org.ts";
import { chatLines } from "./chat.ts";

/**
 * The `sos` commands that run on PostgreSQL (`DATABASE_URL`). The others still read the SQLite file
 * and are refused while DATABASE_URL is set (`src/cli/main.ts`).
 */

/** `sos migrate` on PostgreSQL: the schema brought up to date, the agency recorded or checked, the staff synced. */
export async function migrateOnPostgres(url: string, acceptStaffChanges: boolean): Promise<number> {
  const { ctx, store, setUp } = await bootPg({
    url,
    configPath: resolveConfigPath(process.env, process.cwd()),
    env: process.env,
    open: { mode: "setup", command: "migrate", acceptStaffChanges },
  });
  try {
    const n = await store.pool.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM drizzle.__drizzle_migrations",
    );
    process.stdout.write(`${store.shown} is up to date (${n.rows[0]?.n ?? 0} migrations applied).\n`);
    if (setUp) for (const l of setUpLines(setUp, store.shown, ctx.org)) process.stdout.write(`${l}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `sos chat` on PostgreSQL: as on SQLite, against the roster the database holds (no sync). */
export async function chatOnPostgres(url: string, as: string, today: string | undefined): Promise<number> {
  const { ctx, store } = await bootPg({
    url,
    configPath: resolveConfigPath(process.env, process.cwd()),
    env: process.env,
    open: { mode: "records" },
    ...(today ? { today } : {}),
  });
  try {
    const actor = ctx.people.byEmail(as);
    if (!actor) {
      if (findStaffByEmail(ctx.org, as))
        throw new UsageError(
          `--as ${as}: in ${ctx.org.source} but not yet in ${store.shown}: run \`sos migrate\` first.`,
        );
      const known = ctx.people.all().map((a) => a.email);
      throw new UsageError(
        `--as ${as}: no staff member with that email in ${ctx.org.source}. Known: ${known.join(", ")}`,
      );
    }
    return await chatLines(ctx, actor);
  } finally {
    await store.close();
  }
}
