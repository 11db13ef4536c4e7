import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pgInstanceRecords, pgRecordReloadOn, pgServeAsInstance } from "../src/store/pg/instances.ts";
import { INSTANCE_SPACE, type PgStore } from "../src/store/pg/open.ts";
import { PATIENCE_MS } from "./helpers/sos-start.ts";
import { makeStoreCtx, PG_AVAILABLE, type StoreTestCtx } from "./helpers/stores.ts";

/**
 * Each running instance's `config_reload` row on a real PostgreSQL database: alive while its lock
 * is held, its reloads on its own row, stopped ones pruned at the next start, and a dropped lock
 * connection taken up again.
 */
describe.skipIf(!PG_AVAILABLE)("PostgreSQL: one config_reload row per instance", () => {
  let s: StoreTestCtx;
  let store: PgStore;
  beforeAll(async () => {
    s = await makeStoreCtx("postgres", { demo: false });
    store = s.pgStore!;
  }, PATIENCE_MS);
  afterAll(async () => {
    await s?.close();
  });

  const start = (pid: number, host = "host-a") => ({
    host,
    pid,
    at: `2026-12-02T10:00:0${pid % 10}.000Z`,
    configPath: `/srv/${host}/sos.config.yaml`,
    timeZone: "Europe/London",
  });
  const seen = async () =>
    (await pgInstanceRecords(store)).map((r) => ({
      pid: r.pid,
      host: r.host,
      live: r.live,
      summary: r.summary,
    }));

  /** Waits, with a deadline, until `ok` holds of what is read: no fixed sleep stands for "done". */
  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test(
    "two instances each have their own row and reload; one stopped is not live and is pruned at the next start; a dropped lock is taken up again",
    async () => {
      // b's reconnection is run by the test, once it has seen b not live.
      const retries: (() => void)[] = [];
      const a = await pgServeAsInstance(store, start(101));
      const b = await pgServeAsInstance(store, start(202, "host-b"), {
        later: (retry) => retries.push(retry),
      });
      await pgRecordReloadOn(store.db, a.id, {
        at: "2026-12-02T11:00:00.000Z",
        trigger: "file",
        applied: false,
        summary: "config: not reloaded",
        problems: ["staff.csv row 8"],
      });
      expect(await seen()).toEqual([
        { pid: 101, host: "host-a", live: true, summary: "config: not reloaded" },
        { pid: 202, host: "host-b", live: true, summary: null },
      ]);

      await a.stop();
      expect(await seen()).toEqual([
        { pid: 101, host: "host-a", live: false, summary: "config: not reloaded" },
        { pid: 202, host: "host-b", live: true, summary: null },
      ]);
      const c = await pgServeAsInstance(store, start(303));
      expect((await seen()).map((r) => r.pid)).toEqual([202, 303]);

      // b's lock connection ends under it (a server restart, a network cut): b is not live until it
      // connects again and takes the same lock back, on the same row.
      const [holder] = await s.rows(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = $2::oid AND objsubid = 2",
        [INSTANCE_SPACE, b.id],
      );
      await s.rows("SELECT pg_terminate_backend($1)", [holder!.pid]);
      const gone = await until(seen, (rows) => rows.find((r) => r.pid === 202)?.live === false);
      expect(gone.find((r) => r.pid === 202)?.live).toBe(false);
      await until(
        async () => retries.length,
        (n) => n > 0,
      );
      expect(retries).toHaveLength(1);
      // Meanwhile another start prunes b's row, as a stopped instance's; b puts it back.
      const d = await pgServeAsInstance(store, start(404));
      expect((await seen()).map((r) => r.pid)).toEqual([303, 404]);
      retries[0]!();
      const back = await until(seen, (rows) => rows.find((r) => r.pid === 202)?.live === true);
      expect(back).toEqual([
        { pid: 202, host: "host-b", live: true, summary: null },
        { pid: 303, host: "host-a", live: true, summary: null },
        { pid: 404, host: "host-a", live: true, summary: null },
      ]);
      expect((await pgInstanceRecords(store)).find((r) => r.pid === 202)?.id).toBe(b.id);
      await b.stop();
      await c.stop();
      await d.stop();
      expect((await seen()).every((r) => !r.live)).toBe(true);
    },
    PATIENCE_MS * 2,
  );

  test(
    "an instance of another agency's database on the same server, with the same row id, does not make a stopped one here look running",
    async () => {
      // Two fresh databases: each one's first instance row is id 1, the clash that the server-wide
      // pg_locks would have confused.
      const one = await makeStoreCtx("postgres", { demo: false });
      const two = await makeStoreCtx("postgres", { demo: false });
      try {
        const here = await pgServeAsInstance(one.pgStore!, start(505));
        const there = await pgServeAsInstance(two.pgStore!, start(606, "host-z"));
        expect(here.id).toBe(there.id);
        await here.stop();
        expect((await pgInstanceRecords(one.pgStore!)).map((r) => r.live)).toEqual([false]);
        expect((await pgInstanceRecords(two.pgStore!)).map((r) => r.live)).toEqual([true]);
        await there.stop();
      } finally {
        await one.close();
        await two.close();
      }
    },
    PATIENCE_MS,
  );
});
