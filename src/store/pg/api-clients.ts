import { eq, sql } from "drizzle-orm";
import type { AsyncApiClientStore } from "../../api/clients.ts";
import type { PgStore } from "./open.ts";
import { apiClients } from "./schema.ts";

/** The API's clients on PostgreSQL: the statements `sqliteApiClients` runs, one round trip each. */
export function pgApiClients(store: PgStore): AsyncApiClientStore {
  const { db } = store;
  return {
    async add(row) {
      const [added] = await db.insert(apiClients).values(row).returning();
      // RETURNING of a one-row INSERT that did not throw always has its row.
      if (!added) throw new Error("api_clients: INSERT … RETURNING gave no row");
      return added;
    },
    all() {
      return db.select().from(apiClients).orderBy(apiClients.name);
    },
    active() {
      return db.select().from(apiClients).where(sql`${apiClients.revokedAt} IS NULL`);
    },
    async byName(name) {
      const [row] = await db.select().from(apiClients).where(eq(apiClients.name, name));
      return row;
    },
    async revoke(name, at) {
      const done = await db
        .update(apiClients)
        .set({ revokedAt: at })
        .where(sql`${apiClients.name} = ${name} AND ${apiClients.revokedAt} IS NULL`)
        .returning({ id: apiClients.id });
      return done.length === 1;
    },
  };
}
