import { eq, sql } from "drizzle-orm";
import type { ApiClientAdmin, AsyncApiClientStore } from "../../api/clients.ts";
import type { AuditEntry } from "../audit.ts";
import type { PgStore } from "./open.ts";
import { apiClients, audit } from "./schema.ts";

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

/**
 * `sos api-client`'s changes on PostgreSQL, as `sqliteApiClientAdmin`: the client and its audit line
 * in one transaction. A running instance reads the active clients on every request, so a client
 * added or revoked here counts on every instance at once.
 */
export function pgApiClientAdmin(store: PgStore): ApiClientAdmin {
  const { db } = store;
  const clients = pgApiClients(store);
  const line = (e: AuditEntry) => ({ ...e, detail: e.detail ?? {} });
  return {
    all: () => clients.all(),
    byName: (name) => clients.byName(name),
    add: (row, entry) =>
      db.transaction(async (tx) => {
        // A name taken meanwhile (another `sos api-client add`) is "taken", not a constraint error.
        const [added] = await tx
          .insert(apiClients)
          .values(row)
          .onConflictDoNothing({ target: apiClients.name })
          .returning();
        if (added) await tx.insert(audit).values(line(entry));
        return added;
      }),
    revoke: (name, at, entry) =>
      db.transaction(async (tx) => {
        const done = await tx
          .update(apiClients)
          .set({ revokedAt: at })
          .where(sql`${apiClients.name} = ${name} AND ${apiClients.revokedAt} IS NULL`)
          .returning({ id: apiClients.id });
        if (done.length !== 1) return false;
        await tx.insert(audit).values(line(entry));
        return true;
      }),
  };
}
