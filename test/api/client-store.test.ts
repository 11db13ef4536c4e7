import { afterEach, beforeEach, expect, test } from "vitest";
import { clientForToken, newToken, tokenHash } from "../../src/api/clients.ts";
import { sqliteApiClients } from "../../src/store/api-clients.ts";
import { pgApiClients } from "../../src/store/pg/api-clients.ts";
import { openPgStore } from "../../src/store/pg/open.ts";
import type { ApiClientRow } from "../../src/store/schema.ts";
import { makeTestCtx } from "../helpers/ctx.ts";
import { describeEachStore, emptyPgDatabase, type StoreKind } from "../helpers/stores.ts";

/** The calls both client tables answer, awaited: the SQLite one answers at once, PostgreSQL's in a round trip. */
interface Clients {
  add(row: Omit<ApiClientRow, "id" | "revokedAt">): ApiClientRow | Promise<ApiClientRow>;
  all(): ApiClientRow[] | Promise<ApiClientRow[]>;
  active(): ApiClientRow[] | Promise<ApiClientRow[]>;
  byName(name: string): ApiClientRow | undefined | Promise<ApiClientRow | undefined>;
  revoke(name: string, at: string): boolean | Promise<boolean>;
}

async function openClients(kind: StoreKind): Promise<{ clients: Clients; close(): Promise<void> }> {
  if (kind === "sqlite") {
    const t = makeTestCtx({ demo: false });
    return { clients: sqliteApiClients(t.ctx.store.db), close: async () => t.close() };
  }
  const db = await emptyPgDatabase();
  const store = await openPgStore(db.url, { max: 2 });
  return {
    clients: pgApiClients(store),
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
}

describeEachStore("the API's client table", (kind) => {
  let c: Clients;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ clients: c, close } = await openClients(kind));
  });
  afterEach(() => close());

  const row = (name: string, token: string, scopes: string[] = ["practice:write"], teams: string[] = []) => ({
    name,
    tokenHash: tokenHash(token),
    scopes,
    teams,
    createdAt: "2016-03-01T12:00:00.000Z",
  });

  test("a client added is found by its token, listed by name, and keeps its scopes and teams", async () => {
    const casefile = newToken();
    const reports = newToken();
    const added = await c.add(row("casefile", casefile, ["practice:write", "cases:read"], ["north"]));
    expect(added).toMatchObject({ name: "casefile", revokedAt: null, teams: ["north"] });
    await c.add(row("reports", reports, ["dashboards:read"]));
    expect((await c.all()).map((r) => r.name)).toEqual(["casefile", "reports"]);
    expect(clientForToken(await c.active(), casefile)).toEqual({
      id: added.id,
      name: "casefile",
      scopes: ["practice:write", "cases:read"],
      teams: ["north"],
    });
    expect(clientForToken(await c.active(), newToken())).toBeNull();
    expect((await c.byName("reports"))?.scopes).toEqual(["dashboards:read"]);
    expect(await c.byName("nobody")).toBeUndefined();
  });

  test("a revoked client's token finds no one; revoking it again changes nothing", async () => {
    const token = newToken();
    await c.add(row("casefile", token));
    expect(await c.revoke("casefile", "2016-03-02T09:00:00.000Z")).toBe(true);
    expect(clientForToken(await c.active(), token)).toBeNull();
    expect(await c.revoke("casefile", "2016-03-03T09:00:00.000Z")).toBe(false);
    expect(await c.revoke("nobody", "2016-03-03T09:00:00.000Z")).toBe(false);
    // Revoked clients stay listed (their name is in the audit), with when they were revoked.
    expect((await c.byName("casefile"))?.revokedAt).toBe("2016-03-02T09:00:00.000Z");
    expect((await c.all()).map((r) => r.name)).toEqual(["casefile"]);
  });

  test("a second client with the same name or the same token is refused by the table", async () => {
    const token = newToken();
    await c.add(row("casefile", token));
    await expect(async () => c.add(row("casefile", newToken()))).rejects.toThrow();
    await expect(async () => c.add(row("other", token))).rejects.toThrow();
    expect((await c.all()).map((r) => r.name)).toEqual(["casefile"]);
  });
});
