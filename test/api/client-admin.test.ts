import { afterEach, beforeEach, expect, test } from "vitest";
import { type ApiClientAdmin, clientForToken, newToken, tokenHash } from "../../src/api/clients.ts";
import { sqliteApiClientAdmin, sqliteApiClients } from "../../src/store/api-clients.ts";
import type { AuditEntry } from "../../src/store/audit.ts";
import { pgApiClientAdmin, pgApiClients } from "../../src/store/pg/api-clients.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "../helpers/stores.ts";

/**
 * What `sos api-client` writes, on each store: a client and its audit line together or not at all,
 * and a change that cannot be made (a name taken, a client revoked already) writes nothing.
 */
describeEachStore("sos api-client's changes (ApiClientAdmin)", (kind) => {
  let t: StoreTestCtx;
  let admin: ApiClientAdmin;
  beforeEach(async () => {
    t = await makeStoreCtx(kind, { demo: false });
    admin = t.pgStore ? pgApiClientAdmin(t.pgStore) : sqliteApiClientAdmin(t.ctx.store);
  });
  afterEach(() => t.close());

  const at = "2016-03-01T12:00:00.000Z";
  const row = (name: string, token: string) => ({
    name,
    tokenHash: tokenHash(token),
    scopes: ["dashboards:read"],
    teams: ["north"],
    createdAt: at,
  });
  const line = (action: string, client: string, actorId: number | null = null): AuditEntry => ({
    at,
    actorId,
    surface: "cli",
    action,
    caseId: null,
    detail: { client },
  });
  const trail = async () =>
    (await t.ctx.records.reads.audit({})).map((r) => ({ action: r.action, detail: r.detail }));
  // What the running API reads its clients through, on the same store.
  const active = () =>
    t.pgStore ? pgApiClients(t.pgStore).active() : sqliteApiClients(t.ctx.store.db).active();

  test("a client is added with its audit line, and its token is then known to the API", async () => {
    const token = newToken();
    const added = await admin.add(row("case-system", token), line("api-client add", "case-system"));
    expect(added).toMatchObject({ name: "case-system", teams: ["north"], revokedAt: null });
    expect(await trail()).toEqual([{ action: "api-client add", detail: { client: "case-system" } }]);
    expect(clientForToken(await active(), token)?.name).toBe("case-system");
    expect((await admin.all()).map((r) => r.name)).toEqual(["case-system"]);
    expect((await admin.byName("case-system"))?.tokenHash).toBe(tokenHash(token));
  });

  test("a name taken is answered as taken, and writes neither a client nor a line", async () => {
    await admin.add(row("case-system", newToken()), line("api-client add", "case-system"));
    const before = await t.snapshot();
    expect(
      await admin.add(row("case-system", newToken()), line("api-client add", "case-system")),
    ).toBeUndefined();
    expect(await t.snapshot()).toBe(before);
  });

  test("an audit line that cannot be written leaves no client behind", async () => {
    const before = await t.snapshot();
    // No staff row 999999: the line's reference is refused, and the client's insert with it.
    await expect(
      admin.add(row("case-system", newToken()), line("api-client add", "case-system", 999_999)),
    ).rejects.toThrow();
    expect(await t.snapshot()).toBe(before);
    expect(await admin.byName("case-system")).toBeUndefined();
  });

  test("a revoke is written with its line once; again, or of no one, it writes nothing", async () => {
    const token = newToken();
    await admin.add(row("case-system", token), line("api-client add", "case-system"));
    expect(await admin.revoke("case-system", at, line("api-client revoke", "case-system"))).toBe(true);
    expect(clientForToken(await active(), token)).toBeNull();
    expect((await trail()).map((l) => l.action)).toEqual(["api-client add", "api-client revoke"]);
    const before = await t.snapshot();
    expect(await admin.revoke("case-system", at, line("api-client revoke", "case-system"))).toBe(false);
    expect(await admin.revoke("nobody", at, line("api-client revoke", "nobody"))).toBe(false);
    expect(await t.snapshot()).toBe(before);
  });
});
