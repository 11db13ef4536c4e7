import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Store } from "../../src/store/open.ts";
import { teamsConversations as t } from "../../src/store/schema.ts";
import { type Installations, toInstallation } from "./conversations.ts";

/** `Installations` on the SQLite file: synchronous statements behind the async port. */
export function sqliteInstallations(store: Store): Installations {
  const db = store.db;
  return {
    async remember(place, staffId, at) {
      const { reference } = place;
      db.insert(t)
        .values({ ...place, reference, staffId, installedAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: t.id,
          set: {
            kind: place.kind,
            teamId: sql`coalesce(excluded.team_id, ${t.teamId})`,
            userId: sql`coalesce(excluded.user_id, ${t.userId})`,
            staffId: sql`coalesce(excluded.staff_id, ${t.staffId})`,
            reference,
            updatedAt: at,
            removedAt: null,
          },
          setWhere: sql`${t.reference} IS NOT excluded.reference OR ${t.kind} IS NOT excluded.kind
            OR ${t.removedAt} IS NOT NULL
            OR (excluded.staff_id IS NOT NULL AND ${t.staffId} IS NOT excluded.staff_id)
            OR (excluded.team_id IS NOT NULL AND ${t.teamId} IS NOT excluded.team_id)`,
        })
        .run();
    },

    async forget(id, at) {
      db.update(t)
        .set({ removedAt: at, updatedAt: at })
        .where(and(eq(t.id, id), isNull(t.removedAt)))
        .run();
    },

    async get(id) {
      const r = db.select().from(t).where(eq(t.id, id)).get();
      return r && toInstallation(r);
    },

    async personal(staffId) {
      const r = db
        .select()
        .from(t)
        .where(and(eq(t.kind, "personal"), eq(t.staffId, staffId), isNull(t.removedAt)))
        .orderBy(desc(t.updatedAt))
        .get();
      return r && toInstallation(r);
    },

    async anyChannel() {
      const r = db
        .select()
        .from(t)
        .where(and(eq(t.kind, "channel"), isNull(t.removedAt)))
        .orderBy(desc(t.updatedAt))
        .get();
      return r && toInstallation(r);
    },

    async all() {
      return db.select().from(t).orderBy(t.installedAt).all().map(toInstallation);
    },
  };
}
