import { and, eq, type SQL, sql } from "drizzle-orm";
import type { StuckRules } from "../stuck-since.ts";
import type { PgDb } from "./open.ts";
import { cases, derived } from "./schema.ts";

/**
 * The stuck-since writer's step on PostgreSQL (`src/store/stuck-since.ts` says what is kept and
 * why): in one READ COMMITTED transaction, moves the generation on if the config's fingerprint
 * changed, then works out up to `batch` due open cases. Returns how many are still due after it
 * (0: caught up, or nothing this writer may do).
 *
 * Several instances share the database, so two things must hold without a lock held across them:
 * - The generation moves on once per change of fingerprint: the bump is an UPDATE that only applies
 *   while the fingerprint is not yet this one, so a second writer with the same config finds it done
 *   (its UPDATE waits for the first's and is evaluated again on the row the first left).
 * - A value is never written over a change it did not see: the due rows are read `FOR UPDATE SKIP
 *   LOCKED`, so from the read to the commit no command can change them, and a case a command is
 *   writing right now is left for a later batch (its own trigger makes it due anyway). The writer
 *   never waits on a lock, so it can never be one side of a deadlock with a command's batch.
 * The `derived` row is not locked: the `latest_on` trigger updates it on many logs, which would
 * then wait behind a whole batch.
 */
export async function pgRefreshStuck(db: PgDb, rules: StuckRules, batch: number): Promise<number> {
  // The idle beat: current values and nothing due is two short reads, no transaction. The
  // generation is sent as a value (read first), so the planner takes the index's ranges; given as a
  // subquery it scans every case.
  const [m] = await db
    .select({ gen: derived.stuckGeneration, fp: derived.stuckFingerprint })
    .from(derived)
    .where(eq(derived.id, 1));
  if (m && m.fp === rules.fingerprint) {
    const found = await db.execute<{ due: boolean }>(
      sql`SELECT EXISTS (SELECT 1 FROM ${cases} WHERE ${dueFor(sql`${m.gen}`)}) AS due`,
    );
    if (found.rows[0]?.due === false) return 0;
  }
  return db.transaction(async (tx) => {
    const gen = await currentGeneration(tx, rules.fingerprint);
    // Another writer moved the generation on for another config in between: its values, not ours.
    if (gen === null) return 0;
    const due = dueFor(sql`${gen}`);
    const rows = await tx
      .select({
        id: cases.id,
        openedOn: cases.openedOn,
        serviceSince: cases.serviceSince,
        service: cases.service,
        states: cases.states,
      })
      .from(cases)
      .where(due)
      .limit(batch)
      .for("update", { skipLocked: true });
    if (rows.length > 0) {
      const ids = rows.map((r) => r.id);
      const since = rows.map((r) => rules.since(r));
      // One statement for the batch; the rows are ours until the commit, so no guard is needed
      // beyond the one that says what was read.
      await tx.execute(sql`
        UPDATE ${cases} SET stuck_since = v.since, stuck_for = ${gen}
        FROM unnest(${sql.param(ids)}::text[], ${sql.param(since)}::text[]) AS v(id, since)
        WHERE ${cases.id} = v.id AND ${cases.status} = 'open'`);
    }
    if (rows.length < batch) return 0;
    const [left] = await tx.select({ n: sql<number>`count(*)::integer` }).from(cases).where(due);
    return left?.n ?? 0;
  });
}

/** The open cases not current for generation `gen`: three ranges of the `cases_stuck` index (no index serves `<>`). */
function dueFor(gen: SQL) {
  return sql`${cases.status} = 'open' AND (${cases.stuckFor} IS NULL OR ${cases.stuckFor} < ${gen} OR ${cases.stuckFor} > ${gen})`;
}

type Tx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

/**
 * The generation whose values are this fingerprint's, moving it on when the stored one is another
 * config's; null when, between the two statements, another writer moved it on for yet another.
 */
async function currentGeneration(tx: Tx, fingerprint: string): Promise<number | null> {
  const read = async () => {
    const [m] = await tx
      .select({ gen: derived.stuckGeneration, fp: derived.stuckFingerprint })
      .from(derived)
      .where(eq(derived.id, 1));
    return m;
  };
  const m = await read();
  if (m && m.fp === fingerprint) return m.gen;
  const [bumped] = await tx
    .update(derived)
    .set({ stuckGeneration: sql`${derived.stuckGeneration} + 1`, stuckFingerprint: fingerprint })
    .where(and(eq(derived.id, 1), sql`${derived.stuckFingerprint} IS DISTINCT FROM ${fingerprint}`))
    .returning({ gen: derived.stuckGeneration });
  if (bumped) return bumped.gen;
  const again = await read();
  return again && again.fp === fingerprint ? again.gen : null;
}
