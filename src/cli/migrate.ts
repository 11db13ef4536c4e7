import { resolveDbPath } from "../app/paths.ts";
import { openStore } from "../store/open.ts";
import { readArgs } from "./args.ts";
import { shown } from "./setup.ts";

/** `sos migrate`: bring the database's schema up to date (start does the same on its own). */
export function migrate(argv: string[]): number {
  readArgs("migrate", argv, {});
  const path = resolveDbPath(process.env, process.cwd());
  const store = openStore(path);
  try {
    const row = store.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    process.stdout.write(`${shown(path)} is up to date (${row.n} migrations applied).\n`);
    return 0;
  } finally {
    store.close();
  }
}
