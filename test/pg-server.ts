import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePg } from "../src/store/pg/open.ts";

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
  let server: Started;
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

interface Started {
  readonly url: string;
  readonly version: string;
  stop(): void;
}

async function startServer(): Promise<Started> {
  const postgres = execFileSync("sh", ["-c", 'readlink -f "$(command -v postgres)"'], {
    encoding: "utf8",
  }).trim();
  if (!postgres || !existsSync(postgres)) throw new Error("postgres is not on PATH");
  const bin = dirname(postgres);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "sos-pg-")));
  // PostgreSQL refuses to run as root: as root, the folder is the postgres user's and it runs as them.
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), -1);
  const as = (cmd: string, args: string[]) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  const data = join(dir, "data");
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      try {
        as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } catch {
        // already stopped: nothing to do but remove its folder
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    as("initdb", ["-D", data, "-A", "trust", "-U", "sos", "-E", "UTF8", "--no-sync"]);
    // fsync off: a test server's data is thrown away at the end, and the machine is shared.
    as("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      "-w",
      "start",
    ]);
    started = true;
    const url = `postgres://sos@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const version = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!
      .server_version;
    await client.end();
    return { url, version, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

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
