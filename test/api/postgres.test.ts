import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tokenHash } from "../../src/api/clients.ts";
import { JANE } from "../helpers/ctx.ts";
import { PATIENCE_MS, type RunningSos, runSos, startSos } from "../helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "../helpers/stores.ts";

/**
 * The HTTP API served by two real `sos start` processes on one PostgreSQL database: a client added
 * by `sos api-client add` on that database is known to both, a write retried on the other instance
 * with the same Idempotency-Key is recorded once and answered the same, and `sos api-client revoke`
 * shuts the token out of both at once.
 */

const suite = PG_AVAILABLE ? describe : describe.skip;
if (!PG_AVAILABLE) process.stderr.write("api on postgres: skipped, no PostgreSQL server for this run\n");

suite("the HTTP API in sos start on PostgreSQL", { timeout: PATIENCE_MS * 3 }, () => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let a: RunningSos;
  let b: RunningSos;
  let pool: pg.Pool;
  let token = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sos-api-pg-"));
    db = await emptyPgDatabase();
    // One after the other: the first migrates and claims the database, the second finds it current.
    a = await startSos(dir, { DATABASE_URL: db.url });
    b = await startSos(dir, { DATABASE_URL: db.url });
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // Added after both started: the client table is read per request, not once at start.
    const added = await runSos(
      dir,
      ["api-client", "add", "case-system", "--scopes", "practice:write,dashboards:read"],
      { DATABASE_URL: db.url },
    );
    expect([added.code, added.err]).toEqual([0, ""]);
    token = /^ {2}(sos_\S+)$/m.exec(added.out)?.[1] ?? "";
    expect(token).toMatch(/^sos_/);
    // Only the token's hash is kept.
    const stored = await pool.query("SELECT token_hash FROM api_clients");
    expect(stored.rows).toEqual([{ token_hash: tokenHash(token) }]);
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    const codes = [await a?.stop(), await b?.stop()];
    await pool?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  const call = (
    to: RunningSos,
    method: string,
    path: string,
    opts: { body?: unknown; key?: string; auth?: boolean } = {},
  ) =>
    fetch(`http://127.0.0.1:${to.port}/api/v1${path}`, {
      method,
      headers: {
        ...(opts.auth === false ? {} : { authorization: `Bearer ${token}` }),
        ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
        ...(opts.key === undefined ? {} : { "idempotency-key": opts.key }),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });

  test("the banner names the API as served, and no longer as not on PostgreSQL", () => {
    for (const app of [a, b]) {
      expect(app.out()).toContain("HTTP API: /api/v1 (bearer tokens from sos api-client add)");
      expect(app.out()).not.toMatch(/Not yet on PostgreSQL: the HTTP API/);
    }
  });

  test("no token is a 401 on either instance, and nothing is read", async () => {
    for (const app of [a, b]) {
      const r = await call(app, "GET", `/dashboards/statutory-cp?worker=${JANE}`, { auth: false });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { detail: string }).detail).toContain("The request has no token");
    }
  });

  test("the client's token reads a dashboard (case id and initials, no child's name) on both instances", async () => {
    for (const app of [a, b]) {
      const r = await call(app, "GET", `/dashboards/statutory-cp?worker=${JANE}`);
      expect(r.status).toBe(200);
      const text = JSON.stringify(await r.json());
      expect(text).toContain("12345");
      expect(text).toContain("M.M.");
      expect(text).not.toContain("Melli");
    }
  });

  test("a write sent to A and retried on B with the same Idempotency-Key: one row, the same answer", async () => {
    const count = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM practice_events WHERE case_id = '12345' AND element = 'safety-scale'",
          )
        ).rows[0]?.n,
      );
    const before = await count();
    const body = { caseId: "12345", element: "safety-scale", value: 6, recordedBy: JANE };
    const first = await call(a, "POST", "/practice", { body, key: "api-pg-retry-1" });
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as {
      recorded: number;
      entries: { entryId: number; value: number }[];
    };
    expect(firstBody).toMatchObject({ recorded: 1, entries: [{ caseId: "12345", value: 6 }] });
    const retry = await call(b, "POST", "/practice", { body, key: "api-pg-retry-1" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(firstBody);
    expect(await count()).toBe(before + 1);
    const stored = await pool.query("SELECT id FROM practice_events WHERE id = $1", [
      firstBody.entries[0]!.entryId,
    ]);
    expect(stored.rows).toHaveLength(1);
  });

  // Last: after it the token is refused.
  test("sos api-client revoke on the database: the token is refused by both instances at once", async () => {
    const revoked = await runSos(dir, ["api-client", "revoke", "case-system"], { DATABASE_URL: db.url });
    expect([revoked.code, revoked.out, revoked.err]).toEqual([
      0,
      "Revoked case-system: its token is refused from now on.\n",
      "",
    ]);
    for (const app of [a, b]) {
      const r = await call(app, "GET", `/dashboards/statutory-cp?worker=${JANE}`);
      expect(r.status).toBe(401);
    }
  });
});
