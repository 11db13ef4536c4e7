import { eq, sql } from "drizzle-orm";
import type { ApiClientAdmin, ApiClientStore } from "../api/clients.ts";
import { auditQueries } from "./audit.ts";
import type { Db, Store } from "./open.ts";
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

/** `sos api-client`'s changes on the SQLite file: the client and its audit line in one IMMEDIATE transaction. */
export function sqliteApiClientAdmin(store: Store): ApiClientAdmin {
  const { db } = store;
  const clients = sqliteApiClients(db);
  const inOne = <T>(fn: () => T): T => store.sqlite.transaction(fn).immediate();
  return {
    all: async () => clients.all(),
    byName: async (name) => clients.byName(name),
    add: async (row, entry) =>
      inOne(() => {
        // A name taken meanwhile (another `sos api-client add`) is "taken", not a constraint error.
        const added = db
          .insert(apiClients)
          .values(row)
          .onConflictDoNothing({ target: apiClients.name })
          .returning()
          .get();
        if (added) auditQueries(db).record(entry);
        return added;
      }),
    revoke: async (name, at, entry) =>
      inOne(() => {
        const done = clients.revoke(name, at);
        if (done) auditQueries(db).record(entry);
        return done;
      }),
  };
}
