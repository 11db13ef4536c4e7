import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { PgStore } from "../../src/store/pg/open.ts";
import { teamsConversations as t } from "../../src/store/pg/schema.ts";
import { type Installations, toInstallation } from "./conversations.ts";

/**
 * `Installations` on PostgreSQL: the same one upsert as on SQLite, so two instances seeing the same
 * message write at most once between them (the row lock orders them; the second finds nothing
 * changed). `json` has no equality, so references are compared as `jsonb`.
 */
export function pgInstallations(store: PgStore): Installations {
  const db = store.db;
  return {
    async remember(place, staffId, at) {
      const { reference } = place;
      await db
        .insert(t)
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
          setWhere: sql`${t.reference}::jsonb IS DISTINCT FROM excluded.reference::jsonb
            OR ${t.kind} IS DISTINCT FROM excluded.kind
            OR ${t.removedAt} IS NOT NULL
            OR (excluded.staff_id IS NOT NULL AND ${t.staffId} IS DISTINCT FROM excluded.staff_id)
            OR (excluded.team_id IS NOT NULL AND ${t.teamId} IS DISTINCT FROM excluded.team_id)`,
        });
    },

    async forget(id, at) {
      await db
        .update(t)
        .set({ removedAt: at, updatedAt: at })
        .where(and(eq(t.id, id), isNull(t.removedAt)));
    },

    async get(id) {
      const [r] = await db.select().from(t).where(eq(t.id, id));
      return r && toInstallation(r);
    },

    async personal(staffId) {
      const [r] = await db
        .select()
        .from(t)
        .where(and(eq(t.kind, "personal"), eq(t.staffId, staffId), isNull(t.removedAt)))
        .orderBy(desc(t.updatedAt))
        .limit(1);
      return r && toInstallation(r);
    },

    async anyChannel() {
      const [r] = await db
        .select()
        .from(t)
        .where(and(eq(t.kind, "channel"), isNull(t.removedAt)))
        .orderBy(desc(t.updatedAt))
        .limit(1);
      return r && toInstallation(r);
    },

    async all() {
      return (await db.select().from(t).orderBy(t.installedAt)).map(toInstallation);
    },
  };
}
