import { and, desc, eq } from "drizzle-orm";
import type { Store } from "../store/open.ts";
import { type BackupRow, backups } from "../store/schema.ts";

export type NewBackupRow = Omit<typeof backups.$inferInsert, "id">;

/** The backups made and how each went: one row each, written when it is over. */
export function recordBackup(store: Store, row: NewBackupRow): void {
  store.sqlite.transaction(() => store.db.insert(backups).values(row).run()).immediate();
}

export function recentBackups(store: Store, limit: number): BackupRow[] {
  return store.db.select().from(backups).orderBy(desc(backups.id)).limit(limit).all();
}

/** The latest backup that passed its check; of one kind when asked. */
export function lastGoodBackup(store: Store, kind?: BackupRow["kind"]): BackupRow | undefined {
  return store.db
    .select()
    .from(backups)
    .where(and(eq(backups.status, "ok"), kind ? eq(backups.kind, kind) : undefined))
    .orderBy(desc(backups.id))
    .limit(1)
    .get();
}

/** Failures since the last good backup, newest first: what someone needs to look at. */
export function failuresSinceGood(store: Store): BackupRow[] {
  const good = lastGoodBackup(store);
  return recentBackups(store, 1000).filter((r) => r.status === "failed" && (!good || r.id > good.id));
}
