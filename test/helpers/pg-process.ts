import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

export interface LocalPostgres {
  /** `postgres://sos@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly version: string;
  /** the server's temp folder (the server's user may write in it: pgbench's `-l` logs go here) */
  readonly dir: string;
  /** runs one of PostgreSQL's programs (pgbench, createdb, …) as the server's user */
  as(cmd: string, args: string[]): string;
  /** stops the server by its data folder (never by name) and removes the folder */
  stop(): void;
}

/**
 * A PostgreSQL 15 of its own, in a temp folder on a free loopback port, for the tests
 * (`test/pg-server.ts`, `durable: false`: fsync off, the data is thrown away) and the benchmark
 * (`bench/pg.ts`, `durable: true`: PostgreSQL's own durability, so its figures are a server's).
 * `initdb` and `pg_ctl` sit beside the real `postgres` binary (Debian keeps them off PATH). As root,
 * the folder is the postgres user's and the server runs as them: PostgreSQL refuses root.
 */
export async function startLocalPostgres(opts: {
  durable: boolean;
  prefix: string;
  /** more server settings, `name=value` each (the benchmark's statistics: `track_functions=all`) */
  settings?: readonly string[];
}): Promise<LocalPostgres> {
  const postgres = execFileSync("sh", ["-c", 'readlink -f "$(command -v postgres)"'], {
    encoding: "utf8",
  }).trim();
  if (!postgres || !existsSync(postgres)) throw new Error("postgres is not on PATH");
  const bin = dirname(postgres);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), opts.prefix)));
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), -1);
  const as = (cmd: string, args: string[]) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], {
          encoding: "utf8",
          stdio: "pipe",
        })
      : execFileSync(join(bin, cmd), args, { encoding: "utf8", stdio: "pipe" });
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
    as("initdb", [
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "sos",
      "-E",
      "UTF8",
      ...(opts.durable ? [] : ["--no-sync"]),
    ]);
    const fast = opts.durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    const more = (opts.settings ?? []).map((s) => ` -c ${s}`).join("");
    as("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast}${more}`,
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
    return { url, version, dir, as, stop };
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
