import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePg } from "../src/store/pg/open.ts";
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
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: withDatabase(url, TEMPLATE_DB), max: 1 });
  try {
    await migratePg(pool);
  } finally {
    await pool.end();
  }
}
