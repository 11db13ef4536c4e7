import { eq, sql } from "drizzle-orm";
import type { ApiClientStore } from "../api/clients.ts";
import type { Db } from "./open.ts";
import { apiClients } from "./schema.ts";

/** The API's clients on the SQLite file (`pgApiClients` is the same table on PostgreSQL, its calls awaited). */
export function sqliteApiClients(db: Db): ApiClientStore {
  // Prepared once: every API request reads the active clients.
  const active = db.select().from(apiClients).where(sql`${apiClients.revokedAt} IS NULL`).prepare();
  return {
    add(row) {
      return db.insert(apiClients).values(row).returning().get();
    },
    all() {
      return db.select().from(apiClients).orderBy(apiClients.name).all();
    },
    active() {
      return active.all();
    },
    byName(name) {
      return db.select().from(apiClients).where(eq(apiClients.name, name)).get();
    },
    revoke(name, at) {
      return (
        db
          .update(apiClients)
          .set({ revokedAt: at })
          .where(sql`${apiClients.name} = ${name} AND ${apiClients.revokedAt} IS NULL`)
          .run().changes === 1
      );
    },
  };
}
