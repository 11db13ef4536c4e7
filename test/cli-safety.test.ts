import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JANE } from "./helpers/ctx.ts";

/**
 * The `sos` command when something around it goes wrong: a database another process holds, a
 * damaged file, files that must stay private. Real child processes; a second connection in this
 * process holds the write lock. SOS_BUSY_TIMEOUT_MS keeps the wait short (the CLI's own is 30 s).
 */

const SOS = resolve(import.meta.dirname, "../bin/sos.js");
let dir: string;
let db: string;

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  SOS_DB: db,
  SOS_TODAY: "2016-03-01",
  SOS_BUSY_TIMEOUT_MS: "300",
  ...extra,
});

function sos(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [SOS, ...args], {
    cwd: dir,
    input: opts.input ?? "",
    encoding: "utf8",
    env: env(opts.env),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Another writer: holds the database's write lock until released. */
function holdWriteLock(path: string): { release(): void } {
  const other = new Database(path);
  other.prepare("BEGIN IMMEDIATE").run();
  return {
    release() {
      other.prepare("ROLLBACK").run();
      other.close();
    },
  };
}

const BUSY =
  "sos: the database is busy: another process has been writing to it for more than 300 ms, so this was not done. Try again when it has finished (an import, a backup or another sos command).";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-cli-safety-"));
  db = join(dir, "sos.db");
  expect(sos(["demo", "--db", db]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a database locked past the busy timeout", () => {
  test("a command waits, then says one plain sentence and exits 1", () => {
    const lock = holdWriteLock(db);
    try {
      // `sos start` always writes first (the staff sync, pruning stored replies).
      const r = sos(["start"], { env: { PORT: "0" } });
      expect(r.code).toBe(1);
      expect(r.err).toBe(`${BUSY}\n`);
      expect(r.out).toBe("");
    } finally {
      lock.release();
    }
    expect(sos(["migrate"]).code).toBe(0);
  });

  test("sos chat reports it for the command that hit it and goes on with the next", async () => {
    const child = spawn(process.execPath, [SOS, "chat", "--as", JANE], {
      cwd: dir,
      env: env(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const waiters: (() => void)[] = [];
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      for (const w of waiters.splice(0)) w();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
    /** the replies so far, once there are `n` of them */
    const replies = (n: number) =>
      new Promise<string[]>((res, rej) => {
        const check = () => {
          const parts = out.split("\n\n").slice(0, -1);
          if (parts.length >= n) res(parts);
          else waiters.push(check);
        };
        void exited.then((code) => rej(new Error(`chat exited ${code}: ${out}\n${err}`)));
        check();
      });

    child.stdin.write("whoami\n");
    expect((await replies(1))[0]).toContain("You are Jane Smith");
    const lock = holdWriteLock(db);
    child.stdin.write("mapped-with-family 12345\n");
    const afterBusy = await replies(2).finally(() => lock.release());
    expect(afterBusy[1]).toBe(BUSY);
    child.stdin.write("mapped-with-family 12345\n");
    child.stdin.end();
    const all = await replies(3);
    expect(all[2]).toContain("Recorded Mapping with Family on 01/03/16 (today) for case 12345");
    expect(await exited).toBe(1);
    expect(err).toBe("");
    // Only the second try was recorded.
    const check = new Database(db, { readonly: true });
    const n = check
      .prepare(
        "SELECT count(*) AS n FROM practice_events WHERE case_id = '12345' AND surface = 'cli' AND element = 'mapping-with-family'",
      )
      .get() as { n: number };
    check.close();
    expect(n.n).toBe(1);
  });

  test("SOS_BUSY_TIMEOUT_MS that is not a number is refused before anything runs", () => {
    const r = sos(["migrate"], { env: { SOS_BUSY_TIMEOUT_MS: "5s" } });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'sos: SOS_BUSY_TIMEOUT_MS must be a whole number of milliseconds, like 30000 (got "5s")\n',
    );
  });
});

test("a file that is not a database gets one plain sentence, never a stack trace or an install path", () => {
  const broken = join(dir, "broken.db");
  writeFileSync(
    broken,
    "this is not a database, it is a text file that is long enough to be read".repeat(20),
  );
  const r = sos(["dashboard"], { env: { SOS_DB: broken } });
  expect(r.code).toBe(2);
  expect(r.err).toBe("sos: broken.db is not a database sos can read: check SOS_DB.\n");
  expect(r.err).not.toContain(resolve(import.meta.dirname, ".."));
});

describe("files holding children's names are readable by their owner only", () => {
  const mode = (p: string) => statSync(p).mode & 0o777;

  test("a new database, its -wal and -shm", () => {
    const fresh = join(dir, "new", "private.db");
    expect(sos(["demo", "--db", fresh]).code).toBe(0);
    expect(mode(fresh)).toBe(0o600);
    expect(mode(join(dir, "new"))).toBe(0o700);
    // The -wal and -shm exist while a connection is open; SQLite gives them the database's mode.
    const open = new Database(fresh);
    open.prepare("SELECT count(*) FROM cases").get();
    try {
      expect(mode(`${fresh}-wal`)).toBe(0o600);
      expect(mode(`${fresh}-shm`)).toBe(0o600);
    } finally {
      open.close();
    }
  });

  test.each(["csv", "html", "png"])(
    "sos export --format %s, also over a file anyone could read",
    (format) => {
      const out = join(dir, `export.${format}`);
      expect(sos(["export", "--format", format, "--team", "North Team", "--out", out]).code).toBe(0);
      expect(mode(out)).toBe(0o600);
      chmodSync(out, 0o644);
      expect(sos(["export", "--format", format, "--team", "North Team", "--out", out]).code).toBe(0);
      expect(mode(out)).toBe(0o600);
    },
  );
});
