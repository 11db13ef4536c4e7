import pg from "pg";
import type { TestProject } from "vitest/node";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { pgContext } from "../src/app/pg-context.ts";
import { dayClock } from "../src/commands/clock.ts";
import { loadOrg } from "../src/config/load.ts";
import { demoChange } from "../src/demo/load.ts";
import { migratePg, openPgStore } from "../src/store/pg/open.ts";
import { type LocalPostgres, startLocalPostgres } from "./helpers/pg-process.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** the test server's URL for the template database (migrated), or null: no PostgreSQL this run */
    pgTemplateUrl: string | null;
    /** why there is none, to print where its tests are skipped */
    pgSkipped: string;
  }
}

/** The database each test copies: migrated once here, so a test's `CREATE DATABASE … TEMPLATE` is all it pays. */
export const TEMPLATE_DB = "sos_template";
/**
 * The template again with the demo agency synced and its seed cases loaded on 2016-03-01, as
 * `makeStoreCtx("postgres")` sets up most tests' databases: made once here by the same code, so each
 * such test copies it instead of paying the sync and the seed's writes (test/helpers/stores.ts).
 */
export const DEMO_TEMPLATE_DB = "sos_template_demo";
export const DEMO_TODAY_FOR_TESTS = "2016-03-01";

/**
 * Vitest global setup: one real PostgreSQL 15 for the run, in a temp folder on a free loopback port,
 * stopped by its data folder at the end. `SOS_TEST_DATABASE_URL` names a server to use instead (its
 * user may create databases). Where none can be started the PostgreSQL tests are skipped, and this
 * says why, once, at the top of the run; under CI a server that cannot start fails the run instead.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.SOS_TEST_DATABASE_URL;
  if (given) {
    await prepareTemplate(given);
    project.provide("pgTemplateUrl", withDatabase(given, TEMPLATE_DB));
    project.provide("pgSkipped", "");
    return undefined;
  }
  let server: LocalPostgres;
  try {
    server = await startServer();
  } catch (e) {
    const why = `PostgreSQL tests skipped: no test server could be started (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`;
    if (process.env.CI) throw new Error(`${why}; CI must run them`);
    process.stderr.write(`\n${why}\n\n`);
    project.provide("pgTemplateUrl", null);
    project.provide("pgSkipped", why);
    return undefined;
  }
  try {
    await prepareTemplate(server.url);
  } catch (e) {
    server.stop();
    throw e;
  }
  process.stderr.write(`PostgreSQL ${server.version} for the tests on ${server.url}\n`);
  project.provide("pgTemplateUrl", withDatabase(server.url, TEMPLATE_DB));
  project.provide("pgSkipped", "");
  return server.stop;
}

/** fsync off: a test server's data is thrown away at the end, and the machine is shared. */
const startServer = (): Promise<LocalPostgres> => startLocalPostgres({ durable: false, prefix: "sos-pg-" });

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function prepareTemplate(url: string): Promise<void> {
  await adminQueries(url, [
    `DROP DATABASE IF EXISTS ${DEMO_TEMPLATE_DB} WITH (FORCE)`,
    `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`,
    `CREATE DATABASE ${TEMPLATE_DB}`,
  ]);
  const pool = new pg.Pool({ connectionString: withDatabase(url, TEMPLATE_DB), max: 1 });
  try {
    await migratePg(pool);
  } finally {
    await pool.end();
  }
  // Copied from the migrated template while nothing is connected to it (CREATE DATABASE requires that).
  await adminQueries(url, [`CREATE DATABASE ${DEMO_TEMPLATE_DB} TEMPLATE ${TEMPLATE_DB}`]);
  const store = await openPgStore(withDatabase(url, DEMO_TEMPLATE_DB), { max: 1, migrate: false });
  try {
    const org = loadOrg(DEMO_CONFIG);
    const { ctx } = await pgContext(org, store, dayClock(DEMO_TODAY_FOR_TESTS, org.agency.timeZone));
    await ctx.records.apply(demoChange(ctx));
  } finally {
    await store.close();
  }
}

async function adminQueries(url: string, statements: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}
