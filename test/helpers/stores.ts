import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, inject } from "vitest";
import type { Ctx } from "../../src/app/context.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { pgContext, pgReadContext } from "../../src/app/pg-context.ts";
import { dayClock } from "../../src/commands/clock.ts";
import { type CommandInput, runCommand } from "../../src/commands/run.ts";
import { loadOrg, parseOrg } from "../../src/config/load.ts";
import { demoChange } from "../../src/demo/load.ts";
import type { Actor } from "../../src/domain/access.ts";
import { openPgStore, type PgStore } from "../../src/store/pg/open.ts";
import { DEMO_TEMPLATE_DB, DEMO_TODAY_FOR_TESTS } from "../pg-server.ts";
import { makeTestCtx } from "./ctx.ts";
import { dbSnapshot } from "./snapshot.ts";

/**
 * The same tests on both stores: `describe.each(STORES)` runs a suite once on a SQLite file and once
 * on a database of its own on the run's PostgreSQL server (`test/pg-server.ts`). Where the run has
 * no server, the PostgreSQL half is skipped, and says so.
 */
export type StoreKind = "sqlite" | "postgres";

const templateUrl = inject("pgTemplateUrl");
export const PG_AVAILABLE = templateUrl !== null;
export const STORES: readonly StoreKind[] = ["sqlite", "postgres"];

/** `describe.each(STORES)`, with the PostgreSQL suite skipped (and a line printed) where there is no server. */
export function describeEachStore(name: string, body: (kind: StoreKind) => void): void {
  for (const kind of STORES) {
    if (kind === "postgres" && !PG_AVAILABLE) {
      process.stderr.write(`${name} [postgres]: ${inject("pgSkipped")}\n`);
      describe.skip(`${name} [postgres]`, () => body(kind));
    } else describe(`${name} [${kind}]`, () => body(kind));
  }
}

export interface StoreTestCtx {
  readonly kind: StoreKind;
  readonly ctx: Ctx;
  as(email: string): Actor;
  run(email: string, text: string, extra?: Partial<CommandInput>): ReturnType<typeof runCommand>;
  /** a query in PostgreSQL's `$1` style, run on either store: for asserting on what is stored */
  rows(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** every row of every table, as text: two equal snapshots mean nothing changed */
  snapshot(): Promise<string>;
  close(): Promise<void>;
  /** the PostgreSQL store itself, for a port built on it (absent on SQLite: `ctx.store` is the file) */
  readonly pgStore?: PgStore;
}

/**
 * The demo agency and its seed cases on the store asked for, with a clock on 2016-03-01: SQLite
 * through `makeTestCtx`, PostgreSQL in a fresh database copied from the migrated template (from the
 * template that already holds the demo agency and its cases, when that is what is asked for).
 */
export async function makeStoreCtx(
  kind: StoreKind,
  opts: { demo?: boolean; config?: string } = {},
): Promise<StoreTestCtx> {
  if (kind === "sqlite") {
    const t = makeTestCtx({
      demo: opts.demo ?? true,
      ...(opts.config !== undefined ? { config: opts.config } : {}),
    });
    return {
      kind,
      ctx: t.ctx,
      as: t.as,
      run: t.run,
      async rows(sql, params = []) {
        const stmt = t.ctx.store.sqlite.prepare(sql.replace(/\$\d+/g, "?"));
        if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
        stmt.run(...params);
        return [];
      },
      snapshot: async () => dbSnapshot(t.ctx.store),
      close: async () => t.close(),
    };
  }
  if (templateUrl === null) throw new Error(inject("pgSkipped"));
  const name = `sos_t_${randomBytes(6).toString("hex")}`;
  const demoAgency = opts.config === undefined && (opts.demo ?? true);
  const template = demoAgency ? DEMO_TEMPLATE_DB : new URL(templateUrl).pathname.slice(1);
  await admin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  let store: PgStore | undefined;
  try {
    store = await openPgStore(url.toString(), { max: 4 });
    const org = opts.config === undefined ? loadOrg(DEMO_CONFIG) : parseOrg(opts.config, "test.config.yaml");
    const clock = dayClock(DEMO_TODAY_FOR_TESTS, org.agency.timeZone);
    let ctx: Ctx;
    if (demoAgency) ctx = await pgReadContext(org, store, clock);
    else {
      ({ ctx } = await pgContext(org, store, clock));
      if (opts.demo ?? true) await ctx.records.apply(demoChange(ctx));
    }
    const as = (email: string) => {
      const a = ctx.people.byEmail(email);
      if (!a) throw new Error(`no staff ${email} in the test config`);
      return a;
    };
    const pool = store.pool;
    let tablesQuery: Promise<string> | undefined;
    const opened = store;
    return {
      kind,
      ctx,
      pgStore: opened,
      as,
      run: (email, text, extra = {}) =>
        runCommand(ctx, { actor: as(email), text, surface: "cli", audience: "private", ...extra }),
      async rows(sql, params = []) {
        return (await pool.query(sql, [...params])).rows;
      },
      async snapshot() {
        // One round trip: every table's rows as one JSON text each, in a fixed order.
        tablesQuery ??= pool
          .query<{ name: string }>(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
          )
          .then(({ rows }) =>
            rows
              .map(
                ({ name: table }) =>
                  `SELECT '${table}' AS t, (SELECT coalesce(json_agg(x.r ORDER BY x.r), '[]') FROM (SELECT row_to_json(r)::text AS r FROM "${table}" r) x)::text AS rows`,
              )
              .join(" UNION ALL "),
          );
        const all = await pool.query<{ t: string; rows: string }>(await tablesQuery);
        return all.rows.map((r) => `${r.t}\n${r.rows}`).join("\n");
      },
      async close() {
        await opened.close();
        await dropDatabase(name);
      },
    };
  } catch (e) {
    await store?.close();
    await dropDatabase(name);
    throw e;
  }
}

/** An empty database of its own on the run's server (no tables: `sos migrate` makes them), and how to drop it. */
export async function emptyPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (templateUrl === null) throw new Error(inject("pgSkipped"));
  const name = `sos_e_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}

/**
 * Drops a test's database once its connections have gone (10 s at most, then by force). A pool's
 * `end()` resolves before its sockets have closed; a forced drop in that moment terminated a
 * connection still closing, whose error then surfaced as an unhandled one in whichever test file
 * the worker ran next (seen with two workers on a loaded machine).
 */
async function dropDatabase(name: string): Promise<void> {
  await asAdmin(async (client) => {
    for (let i = 0; i < 500; i++) {
      const left = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
      if (left.rows[0]?.n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

async function admin(statement: string): Promise<void> {
  await asAdmin((client) => client.query(statement));
}

/** A connection to the run's server's `postgres` database for the length of `fn`. */
async function asAdmin(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const url = new URL(templateUrl!);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
