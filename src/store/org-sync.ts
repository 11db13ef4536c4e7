import { eq, notInArray } from "drizzle-orm";
import type { Org } from "../config/org.ts";
import type { Store } from "./open.ts";
import { staff, teams } from "./schema.ts";

/**
 * Writes the config's teams and staff into the database so cases and events can reference them.
 * Config is the truth; people and teams that leave it are marked inactive, never deleted, because
 * their past records still point at them. Returns each email's row id.
 */
export function syncOrg(store: Store, org: Org): Map<string, number> {
  const { db } = store;
  return db.transaction((tx) => {
    for (const t of org.teams) {
      tx.insert(teams)
        .values({ id: t.id, name: t.name, active: true })
        .onConflictDoUpdate({ target: teams.id, set: { name: t.name, active: true } })
        .run();
    }
    const teamIds = org.teams.map((t) => t.id);
    tx.update(teams).set({ active: false }).where(notInArray(teams.id, teamIds)).run();

    for (const s of org.staff) {
      const row = {
        email: s.email,
        name: s.name,
        role: s.role,
        teamIds: [...s.teams],
        slackId: s.slackId ?? null,
        teamsId: s.teamsId ?? null,
        active: true,
      };
      tx.insert(staff).values(row).onConflictDoUpdate({ target: staff.email, set: row }).run();
    }
    tx.update(staff)
      .set({ active: false })
      .where(
        notInArray(
          staff.email,
          org.staff.map((s) => s.email),
        ),
      )
      .run();

    const ids = new Map<string, number>();
    for (const row of tx
      .select({ id: staff.id, email: staff.email })
      .from(staff)
      .where(eq(staff.active, true))
      .all()) {
      ids.set(row.email, row.id);
    }
    return ids;
  });
}
