import { eq, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import type { CaseStates, ElementState, LiveEvent } from "../../domain/projection.ts";
import { EMPTY_STATE, foldElement } from "../../domain/projection.ts";
import type { NewEvent } from "../events.ts";
import {
  type Applied,
  type Change,
  Conflict,
  type Records,
  type Write,
  type WrittenEntry,
} from "../records.ts";
import { decodeStates, encodeStates } from "../states-format.ts";
import { namedRows } from "./named.ts";
import type { PgDb, PgStore } from "./open.ts";
import { liveOfCaseQuery, liveQuery, pgReads } from "./reads.ts";
import * as schema from "./schema.ts";
import {
  allocations,
  audit,
  caseEvents,
  cases,
  idempotency,
  leave,
  practiceEvents,
  snoozes,
} from "./schema.ts";
import { pgRefreshStuck } from "./stuck.ts";

/**
 * A transaction's handles: the query builder bound to its one connection, and the connection itself
 * for the statements sent prepared (`namedRows`).
 */
interface Tx {
  readonly db: PgDb;
  readonly client: pg.PoolClient;
}

/**
 * What the server says when two transactions could not both be right: a unique key already taken
 * by the other (the case id, the delivery id), a serialization failure, a deadlock. The command is
 * decided again on what is there now, exactly as when a precondition fails.
 */
const RETRYABLE = new Set(["23505", "40001", "40P01"]);

function retryable(e: unknown): boolean {
  for (let at = e, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return true;
  }
  return false;
}

/** Every existing case a batch reads or writes: locked first, in one order, so batches on one case queue. */
function casesOf(change: Change): string[] {
  const ids = new Set<string>();
  for (const e of change.expect) ids.add(e.caseId);
  for (const w of change.writes) {
    switch (w.kind) {
      case "appendEvent":
        ids.add(w.event.caseId);
        break;
      case "appendEvents":
        for (const e of w.events) ids.add(e.caseId);
        break;
      case "retract":
        ids.add(w.target.caseId);
        break;
      case "caseEvent":
        ids.add(w.event.caseId);
        break;
      case "openCase":
        ids.add(w.row.id);
        break;
      case "allocate":
      case "close":
      case "reopen":
      case "updateCase":
      case "snooze":
        ids.add(w.caseId);
        break;
      case "leave":
      case "audit":
        break;
    }
  }
  return [...ids].sort();
}

// A bulk append is sent in statements of this many rows: PostgreSQL takes at most 65,535
// parameters in one, and an entry has 8.
const APPEND_CHUNK = 1_000;

/** An audit line of the batch, kept to go out with the batch's last statement. */
type AuditRow = typeof audit.$inferInsert;

/**
 * What a batch has done so far, held until its last statement: the projection of every case it
 * locked or opened (as read under the lock, then as each entry folded it), which of them an entry
 * changed, the cases whose versions move on, and the audit lines to insert.
 */
interface Batch {
  readonly states: Map<string, CaseStates>;
  readonly folded: Set<string>;
  readonly touched: Set<string>;
  readonly audits: AuditRow[];
  readonly entries: WrittenEntry[];
}

/**
 * The record on PostgreSQL. A batch is one READ COMMITTED transaction that first locks the row of
 * every case it touches (`SELECT … FOR UPDATE`, in id order so two batches never wait on each other
 * in a circle): from then on no other batch can write those cases until this one commits, so the
 * version compared is the version written over, and the projection is folded from every entry there
 * is. A failed precondition, or a key the other side took first, is a `Conflict` and nothing is
 * written, as on SQLite.
 *
 * Each statement is a round trip, and a log on PostgreSQL was a dozen of them, so a batch sends as
 * few as it can without weakening any of that: the lock reads the cases' projections too (the row
 * is the locked one, so no other batch changes them before the write); an entry is inserted and its
 * element's live entries read in one statement; and every case's projection and version, the
 * audit lines and the delivery's reply are written together in the last statement.
 */
export function pgRecords(store: PgStore): Records {
  const { db } = store;
  // The query builder on one connection, made once per connection the pool hands out.
  const builders = new WeakMap<pg.PoolClient, PgDb>();
  function builderOn(client: pg.PoolClient): PgDb {
    let b = builders.get(client);
    if (!b) {
      b = drizzle(client, { schema });
      builders.set(client, b);
    }
    return b;
  }

  /**
   * Inserts one entry (an append, or a retraction of `retracts`) and reads, in the same statement,
   * the live entries of its element that were there before it: the statement's snapshot is taken
   * after the case's lock was held, so it holds every entry on the case, and the one inserted here
   * is added to them (a retraction takes its target out instead). The element is folded from them.
   */
  async function appendOne(tx: Tx, b: Batch, e: NewEvent, retracts: number | null): Promise<void> {
    const states = b.states.get(e.caseId);
    const insert = tx.db
      .insert(practiceEvents)
      .values({ ...e, retractsId: retracts })
      .returning({ id: practiceEvents.id });
    const live = liveQuery(tx.db, e.caseId, e.element);
    const rows = await namedRows<{
      id: number;
      occurred_on: string | null;
      value: number | null;
      written: boolean;
    }>(
      tx.client,
      sql`
      WITH written AS (${insert.getSQL()})
      SELECT id, NULL::text AS occurred_on, NULL::integer AS value, true AS written FROM written
      UNION ALL
      SELECT live.id, live.occurred_on, live.value, false FROM (${live.getSQL()}) AS live
      ${retracts === null ? sql`` : sql`WHERE live.id <> ${retracts}`}`,
    );
    const written = rows.find((r) => r.written);
    if (!written) throw new Error("insert returned no row");
    if (!states) throw new Error(`no case ${e.caseId} to fold an entry into`);
    const events: LiveEvent[] = rows
      .filter((r) => !r.written)
      .map((r) => ({ id: r.id, occurredOn: r.occurred_on, value: r.value }));
    if (retracts === null)
      events.push({ id: written.id, occurredOn: e.occurredOn ?? null, value: e.value ?? null });
    const state = foldElement(events);
    b.states.set(e.caseId, { ...states, [e.element]: state });
    b.folded.add(e.caseId);
    b.touched.add(e.caseId);
    b.entries.push({ id: written.id, state });
  }

  async function appendMany(tx: Tx, b: Batch, list: readonly NewEvent[]): Promise<void> {
    const ids: number[] = [];
    for (let i = 0; i < list.length; i += APPEND_CHUNK) {
      const rows = await tx.db
        .insert(practiceEvents)
        .values(list.slice(i, i + APPEND_CHUNK).map((e) => ({ ...e, retractsId: null })))
        .returning({ id: practiceEvents.id });
      // One statement takes its ids in the order of its rows; the order RETURNING lists them in is
      // not promised, so they are put back in order.
      ids.push(...rows.map((r) => r.id).sort((a, b) => a - b));
    }
    const touched = [...new Set(list.map((e) => e.caseId))];
    for (const caseId of touched) {
      const byElement = new Map<string, LiveEvent[]>();
      for (const e of await liveOfCaseQuery(tx.db, caseId)) {
        const group = byElement.get(e.element);
        if (group) group.push(e);
        else byElement.set(e.element, [e]);
      }
      const folded: Record<string, ElementState> = {};
      for (const [element, events] of byElement) folded[element] = foldElement(events);
      // The whole projection, folded afresh from every live entry of the case.
      b.states.set(caseId, folded);
      b.folded.add(caseId);
      b.touched.add(caseId);
    }
    list.forEach((e, i) => {
      b.entries.push({ id: ids[i]!, state: b.states.get(e.caseId)?.[e.element] ?? EMPTY_STATE });
    });
  }

  /** Carries out one write (or keeps it for the last statement); a write naming a case moves its version on. */
  async function write(tx: Tx, b: Batch, w: Write): Promise<void> {
    switch (w.kind) {
      case "appendEvent":
        return appendOne(tx, b, w.event, null);
      case "appendEvents":
        return appendMany(tx, b, w.events);
      case "retract": {
        const t = w.target;
        const retraction: NewEvent = {
          caseId: t.caseId,
          element: t.element,
          occurredOn: null,
          value: null,
          note: null,
          recordedBy: w.by,
          recordedAt: w.at,
          surface: w.surface,
        };
        return appendOne(tx, b, retraction, t.id);
      }
      case "openCase": {
        const r = w.row;
        await tx.db.insert(cases).values({ ...r, states: {} });
        await tx.db.insert(allocations).values({
          caseId: r.id,
          workerId: r.workerId,
          teamId: r.teamId,
          fromOn: r.openedOn,
          assignedBy: w.by,
          assignedAt: w.at,
        });
        b.states.set(r.id, {});
        return;
      }
      case "allocate":
        await tx.db
          .update(cases)
          .set({ workerId: w.workerId, teamId: w.teamId })
          .where(eq(cases.id, w.caseId));
        await tx.db.insert(allocations).values({
          caseId: w.caseId,
          workerId: w.workerId,
          teamId: w.teamId,
          fromOn: w.fromOn,
          assignedBy: w.by,
          assignedAt: w.at,
        });
        b.touched.add(w.caseId);
        return;
      case "close":
        await tx.db
          .update(cases)
          .set({ status: "closed", closedOn: w.on, outcome: w.outcome, closingNote: w.note })
          .where(eq(cases.id, w.caseId));
        b.touched.add(w.caseId);
        return;
      case "reopen":
        await tx.db
          .update(cases)
          .set({ status: "open", closedOn: null, outcome: null, closingNote: null })
          .where(eq(cases.id, w.caseId));
        b.touched.add(w.caseId);
        return;
      case "caseEvent":
        await tx.db.insert(caseEvents).values({ ...w.event, by: w.event.by ?? null });
        b.touched.add(w.event.caseId);
        return;
      case "updateCase":
        if (Object.keys(w.set).length > 0) await tx.db.update(cases).set(w.set).where(eq(cases.id, w.caseId));
        b.touched.add(w.caseId);
        return;
      case "snooze":
        await tx.db.insert(snoozes).values({ caseId: w.caseId, until: w.until, by: w.by, at: w.at });
        return;
      case "leave":
        await tx.db.insert(leave).values({ staffId: w.staffId, fromOn: w.from, toOn: w.to, at: w.at });
        return;
      case "audit": {
        // Its number is the entry written just before it, known now; the line itself goes out with
        // the batch's last statement (nothing in the batch reads the audit).
        const last = b.entries[b.entries.length - 1];
        const detail = w.entryKey && last ? { ...w.entry.detail, [w.entryKey]: last.id } : w.entry.detail;
        b.audits.push({ ...w.entry, detail: detail ?? {} });
        return;
      }
    }
  }

  /**
   * The batch's last statement: each touched case's version moved on and, where an entry changed
   * it, its projection set, in one UPDATE; the audit lines and the delivery's reply inserted beside
   * it. The projections were folded under the lock, so they are the ones this batch leaves.
   */
  async function finish(tx: Tx, b: Batch, keep: typeof idempotency.$inferInsert | undefined): Promise<void> {
    const parts: SQL[] = [];
    // An import writes an audit line a case, and a statement takes at most 65,535 parameters: all but
    // the last chunk of lines go first, in order, so their numbers still follow the batch's order.
    let from = 0;
    for (; b.audits.length - from > APPEND_CHUNK; from += APPEND_CHUNK)
      await tx.db.insert(audit).values(b.audits.slice(from, from + APPEND_CHUNK));
    const lastLines = b.audits.slice(from);
    if (lastLines.length > 0)
      parts.push(sql`audit_lines AS (${tx.db.insert(audit).values(lastLines).getSQL()})`);
    if (keep) parts.push(sql`kept AS (${tx.db.insert(idempotency).values(keep).getSQL()})`);
    const ids = [...b.touched];
    const main =
      ids.length === 0
        ? sql`SELECT 1`
        : sql`UPDATE ${cases} SET version = ${cases.version} + 1, states = coalesce(moved.states, ${cases.states})
            FROM unnest(${sql.param(ids)}::text[], ${sql.param(
              ids.map((id) => {
                const folded = b.folded.has(id) ? b.states.get(id) : undefined;
                return folded ? encodeStates(folded) : null;
              }),
            )}::text[]) AS moved(id, states)
            WHERE ${cases.id} = moved.id`;
    if (parts.length === 0 && ids.length === 0) return;
    await namedRows(tx.client, parts.length > 0 ? sql`WITH ${sql.join(parts, sql`, `)} ${main}` : main);
  }

  async function prior(q: PgDb, key: string): Promise<unknown | undefined> {
    const [row] = await q
      .select({ reply: idempotency.reply })
      .from(idempotency)
      .where(eq(idempotency.key, key));
    return row?.reply;
  }
  // Asked before every write that comes with a delivery id (a Slack command): prepared once.
  const priorOnPool = db
    .select({ reply: idempotency.reply })
    .from(idempotency)
    .where(eq(idempotency.key, sql.placeholder("key")))
    .prepare("sos_prior_reply");

  /**
   * Locks every case the batch touches, in id order, and reads their versions and projections; and,
   * for a delivery id, the reply it already got. One statement: it starts after the delivery's own
   * lock was taken, so its snapshot holds the reply of a first copy that committed meanwhile. (With
   * no case to lock, that reply is read on its own.)
   */
  async function lock(
    tx: Tx,
    ids: readonly string[],
    key: string | undefined,
  ): Promise<{ prior: unknown | undefined; locked: { id: string; version: number; states: CaseStates }[] }> {
    if (ids.length === 0)
      return { prior: key === undefined ? undefined : await prior(tx.db, key), locked: [] };
    const kept = (what: SQL) =>
      key === undefined
        ? sql`NULL`
        : sql`(SELECT ${what} FROM ${idempotency} WHERE ${idempotency.key} = ${key})`;
    // One text whatever the number of cases (an array, not a list), so it is prepared once.
    const rows = await namedRows<{
      id: string;
      version: number;
      states: string;
      found: boolean;
      prior: unknown;
    }>(
      tx.client,
      sql`SELECT ${cases.id} AS id, ${cases.version} AS version, ${cases.states} AS states,
          ${kept(sql`true`)} AS found, ${kept(sql`${idempotency.reply}`)} AS prior
        FROM ${cases} WHERE ${cases.id} = ANY(${sql.param([...ids])}::text[])
        ORDER BY ${cases.id} COLLATE "C" FOR UPDATE`,
    );
    const locked = rows.map((r) => ({ id: r.id, version: r.version, states: decodeStates(r.states) }));
    if (key !== undefined && rows.length === 0) return { prior: await prior(tx.db, key), locked };
    return { prior: rows[0]?.found === true ? rows[0].prior : undefined, locked };
  }

  /**
   * One READ COMMITTED transaction on one of the pool's connections: committed when `work` returns,
   * rolled back when it throws (a connection that cannot even roll back is let go, not reused).
   */
  async function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await store.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work({ db: builderOn(client), client });
      await client.query("COMMIT");
      return result;
    } catch (e) {
      try {
        await client.query("ROLLBACK");
      } catch (r) {
        broken = r instanceof Error ? r : new Error(String(r));
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async function applyOnce(change: Change, opts: { idempotencyKey?: string; at?: string }): Promise<Applied> {
    return inTransaction(async (tx): Promise<Applied> => {
      const key = opts.idempotencyKey;
      if (key !== undefined) {
        // The delivery's own lock, so a retry landing on another instance waits for the first to
        // commit and then finds its reply, rather than deciding the command a second time. Its own
        // statement: a statement's snapshot is taken when it starts, so a reply looked up in the
        // statement that waited would miss the one committed while it waited.
        await namedRows(tx.client, sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
      }
      const { prior: was, locked } = await lock(tx, casesOf(change), key);
      if (was !== undefined) return { repeated: true, reply: was };
      const present = new Map(locked.map((r) => [r.id, r.version]));
      for (const e of change.expect) {
        if (e.kind === "noCase") {
          if (present.has(e.caseId)) throw new Conflict(`case ${e.caseId} exists`);
        } else if (present.get(e.caseId) !== e.version) throw new Conflict(`case ${e.caseId} changed`);
      }
      const b: Batch = {
        states: new Map(locked.map((r) => [r.id, r.states])),
        folded: new Set(),
        touched: new Set(),
        audits: [],
        entries: [],
      };
      for (const w of change.writes) await write(tx, b, w);
      for (const e of change.expect) if (e.kind === "caseVersion") b.touched.add(e.caseId);
      const reply = change.reply(b.entries);
      await finish(
        tx,
        b,
        key === undefined ? undefined : { key, reply, createdAt: opts.at ?? new Date().toISOString() },
      );
      return { repeated: false, reply };
    });
  }

  return {
    reads: pgReads(db, store.pool),
    priorReply: async (key) => (await priorOnPool.execute({ key }))[0]?.reply,
    refreshStuck: (rules, batch) => pgRefreshStuck(db, rules, batch),
    async apply(change, opts = {}) {
      try {
        return await applyOnce(change, opts);
      } catch (e) {
        if (e instanceof Conflict) throw e;
        if (retryable(e)) throw new Conflict(e instanceof Error ? e.message : String(e));
        throw e;
      }
    },
  };
}
