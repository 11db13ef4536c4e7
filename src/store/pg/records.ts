import { eq, inArray, sql } from "drizzle-orm";
import type { ElementKey } from "../../domain/elements.ts";
import type { ElementState, LiveEvent } from "../../domain/projection.ts";
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
import type { PgDb, PgStore } from "./open.ts";
import { liveOfCaseQuery, liveQuery, pgReads } from "./reads.ts";
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

/** A transaction's handle: the query builder bound to its one connection. */
type Tx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

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

/**
 * The record on PostgreSQL. A batch is one READ COMMITTED transaction that first locks the row of
 * every case it touches (`SELECT … FOR UPDATE`, in id order so two batches never wait on each other
 * in a circle): from then on no other batch can write those cases until this one commits, so the
 * version compared is the version written over, and the projection is folded from every entry there
 * is. A failed precondition, or a key the other side took first, is a `Conflict` and nothing is
 * written, as on SQLite.
 */
export function pgRecords(store: PgStore): Records {
  const { db } = store;

  async function refresh(tx: Tx, caseId: string, element: ElementKey): Promise<ElementState> {
    const state = foldElement(await liveQuery(tx, caseId, element));
    // The case's row is locked by this transaction (see `applyOnce`), so no other batch can set
    // another of its elements between this read and the write.
    const [row] = await tx.select({ states: cases.states }).from(cases).where(eq(cases.id, caseId));
    if (!row) throw new Error(`no case ${caseId} to fold an entry into`);
    const states = { ...row.states, [element]: state };
    await tx.update(cases).set({ states }).where(eq(cases.id, caseId));
    return state;
  }

  async function insertEvent(tx: Tx, e: NewEvent, retractsId: number | null): Promise<number> {
    const [row] = await tx
      .insert(practiceEvents)
      .values({ ...e, retractsId })
      .returning({ id: practiceEvents.id });
    if (!row) throw new Error("insert returned no row");
    return row.id;
  }

  async function appendMany(
    tx: Tx,
    list: readonly NewEvent[],
  ): Promise<{ written: WrittenEntry[]; cases: string[] }> {
    const ids: number[] = [];
    for (let i = 0; i < list.length; i += APPEND_CHUNK) {
      const rows = await tx
        .insert(practiceEvents)
        .values(list.slice(i, i + APPEND_CHUNK).map((e) => ({ ...e, retractsId: null })))
        .returning({ id: practiceEvents.id });
      // One statement takes its ids in the order of its rows; the order RETURNING lists them in is
      // not promised, so they are put back in order.
      ids.push(...rows.map((r) => r.id).sort((a, b) => a - b));
    }
    const touched = [...new Set(list.map((e) => e.caseId))];
    const states = new Map<string, Record<string, ElementState>>();
    for (const caseId of touched) {
      const byElement = new Map<string, LiveEvent[]>();
      for (const e of await liveOfCaseQuery(tx, caseId)) {
        const group = byElement.get(e.element);
        if (group) group.push(e);
        else byElement.set(e.element, [e]);
      }
      const folded: Record<string, ElementState> = {};
      for (const [element, events] of byElement) folded[element] = foldElement(events);
      await tx.update(cases).set({ states: folded }).where(eq(cases.id, caseId));
      states.set(caseId, folded);
    }
    return {
      written: list.map((e, i) => ({ id: ids[i]!, state: states.get(e.caseId)?.[e.element] ?? EMPTY_STATE })),
      cases: touched,
    };
  }

  /** Carries out one write; returns the cases it wrote to, whose versions then move on. */
  async function write(tx: Tx, w: Write, entries: WrittenEntry[]): Promise<readonly string[]> {
    switch (w.kind) {
      case "appendEvent": {
        const id = await insertEvent(tx, w.event, null);
        entries.push({ id, state: await refresh(tx, w.event.caseId, w.event.element) });
        return [w.event.caseId];
      }
      case "appendEvents": {
        const { written, cases: touched } = await appendMany(tx, w.events);
        for (const e of written) entries.push(e);
        return touched;
      }
      case "retract": {
        const t = w.target;
        const id = await insertEvent(
          tx,
          {
            caseId: t.caseId,
            element: t.element,
            occurredOn: null,
            value: null,
            note: null,
            recordedBy: w.by,
            recordedAt: w.at,
            surface: w.surface,
          },
          t.id,
        );
        entries.push({ id, state: await refresh(tx, t.caseId, t.element) });
        return [t.caseId];
      }
      case "openCase": {
        const r = w.row;
        await tx.insert(cases).values({ ...r, states: {} });
        await tx.insert(allocations).values({
          caseId: r.id,
          workerId: r.workerId,
          teamId: r.teamId,
          fromOn: r.openedOn,
          assignedBy: w.by,
          assignedAt: w.at,
        });
        return [];
      }
      case "allocate":
        await tx.update(cases).set({ workerId: w.workerId, teamId: w.teamId }).where(eq(cases.id, w.caseId));
        await tx.insert(allocations).values({
          caseId: w.caseId,
          workerId: w.workerId,
          teamId: w.teamId,
          fromOn: w.fromOn,
          assignedBy: w.by,
          assignedAt: w.at,
        });
        return [w.caseId];
      case "close":
        await tx
          .update(cases)
          .set({ status: "closed", closedOn: w.on, outcome: w.outcome, closingNote: w.note })
          .where(eq(cases.id, w.caseId));
        return [w.caseId];
      case "reopen":
        await tx
          .update(cases)
          .set({ status: "open", closedOn: null, outcome: null, closingNote: null })
          .where(eq(cases.id, w.caseId));
        return [w.caseId];
      case "caseEvent":
        await tx.insert(caseEvents).values({ ...w.event, by: w.event.by ?? null });
        return [w.event.caseId];
      case "updateCase":
        if (Object.keys(w.set).length > 0) await tx.update(cases).set(w.set).where(eq(cases.id, w.caseId));
        return [w.caseId];
      case "snooze":
        await tx.insert(snoozes).values({ caseId: w.caseId, until: w.until, by: w.by, at: w.at });
        return [];
      case "leave":
        await tx.insert(leave).values({ staffId: w.staffId, fromOn: w.from, toOn: w.to, at: w.at });
        return [];
      case "audit": {
        const last = entries[entries.length - 1];
        const detail = w.entryKey && last ? { ...w.entry.detail, [w.entryKey]: last.id } : w.entry.detail;
        await tx.insert(audit).values({ ...w.entry, detail: detail ?? {} });
        return [];
      }
    }
  }

  async function prior(q: PgDb | Tx, key: string): Promise<unknown | undefined> {
    const [row] = await q
      .select({ reply: idempotency.reply })
      .from(idempotency)
      .where(eq(idempotency.key, key));
    return row?.reply;
  }

  async function applyOnce(change: Change, opts: { idempotencyKey?: string; at?: string }): Promise<Applied> {
    return db.transaction(async (tx): Promise<Applied> => {
      const key = opts.idempotencyKey;
      if (key !== undefined) {
        // The delivery's own lock, so a retry landing on another instance waits for the first to
        // commit and then finds its reply, rather than deciding the command a second time.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
        const was = await prior(tx, key);
        if (was !== undefined) return { repeated: true, reply: was };
      }
      const ids = casesOf(change);
      const present = new Map<string, number>();
      if (ids.length > 0) {
        const locked = await tx
          .select({ id: cases.id, version: cases.version })
          .from(cases)
          .where(inArray(cases.id, ids))
          .orderBy(sql`${cases.id} COLLATE "C"`)
          .for("update");
        for (const r of locked) present.set(r.id, r.version);
      }
      for (const e of change.expect) {
        if (e.kind === "noCase") {
          if (present.has(e.caseId)) throw new Conflict(`case ${e.caseId} exists`);
        } else if (present.get(e.caseId) !== e.version) throw new Conflict(`case ${e.caseId} changed`);
      }
      const entries: WrittenEntry[] = [];
      const touched = new Set<string>();
      for (const w of change.writes) for (const id of await write(tx, w, entries)) touched.add(id);
      for (const e of change.expect) if (e.kind === "caseVersion") touched.add(e.caseId);
      if (touched.size > 0)
        await tx
          .update(cases)
          .set({ version: sql`${cases.version} + 1` })
          .where(inArray(cases.id, [...touched]));
      const reply = change.reply(entries);
      if (key !== undefined)
        await tx.insert(idempotency).values({ key, reply, createdAt: opts.at ?? new Date().toISOString() });
      return { repeated: false, reply };
    });
  }

  return {
    reads: pgReads(db),
    priorReply: (key) => prior(db, key),
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
