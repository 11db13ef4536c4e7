import { afterEach, expect, test } from "vitest";
import { makeInvocation } from "../src/commands/invocation.ts";
import { eraseCase } from "../src/lifetime/erase.ts";
import { ROBIN as ADMIN, makeTestCtx, SAM } from "./helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

// A case id removed under the retention policy stays taken: the erasure row keeps the id and nothing
// else, so a new case opened under it would be read as the one that was removed.
/**
 * The erasure path as the triggers allow it, in plain SQL so it runs on either store (the `sos erase`
 * code is SQLite's): an open erasure row, the case's rows removed, the row finished.
 */
async function erase(t: StoreTestCtx, caseId: string, under: "retention" | "erasure"): Promise<void> {
  const by = t.as(ADMIN).staffId;
  await t.rows(
    "INSERT INTO erasures (case_id, under, reason, by, started_at) VALUES ($1, $2, 'closed 7 years', $3, '2016-02-10T09:00:00.000Z')",
    [caseId, under, by],
  );
  for (const table of ["nudges_sent", "snoozes", "practice_events", "case_events", "allocations", "audit"])
    await t.rows(`DELETE FROM ${table} WHERE case_id = $1`, [caseId]);
  await t.rows("DELETE FROM cases WHERE id = $1", [caseId]);
  await t.rows("UPDATE erasures SET finished_at = '2016-02-10T09:00:01.000Z' WHERE case_id = $1", [caseId]);
}

describeEachStore("an id erased under retention", (kind) => {
  let t: StoreTestCtx;
  afterEach(async () => t.close());

  test("is refused by open with one sentence, and nothing is written", async () => {
    t = await makeStoreCtx(kind);
    expect((await t.run(SAM, 'open 70009 "Ana Lee" 4 cp')).ok).toBe(true);
    await erase(t, "70009", "retention");
    const before = await t.snapshot();
    const reply = await t.run(SAM, 'open 70009 "Ana Lee" 4 cp');
    expect(reply.ok).toBe(false);
    expect(reply.text).toBe(
      "Case 70009 was removed under the retention policy on 10/02/16, and its id is not used again: give the new case an id of its own. Nothing changed.",
    );
    expect(await t.snapshot()).toBe(before);
  });

  test("an id erased as opened in error can be opened again", async () => {
    t = await makeStoreCtx(kind);
    expect((await t.run(SAM, 'open 70010 "Ana Lee" 4 cp')).ok).toBe(true);
    await erase(t, "70010", "erasure");
    const reply = await t.run(SAM, 'open 70010 "Ana Lee" 4 cp');
    expect(reply.text).toMatch(/^Opened case 70010 /);
  });
});

test("on SQLite, a case erased by the retention path cannot be opened again", async () => {
  const t = makeTestCtx();
  try {
    const env = makeInvocation(t.ctx, t.as(ADMIN), "cli", "private");
    eraseCase(t.ctx.store, {
      caseId: "12345",
      under: "retention",
      reason: "closed more than 7 years",
      by: env.actor.staffId,
      at: env.now,
    });
    const reply = await t.run(SAM, 'open 12345 "Ana Lee" 4 cp');
    expect(reply.text).toMatch(/^Case 12345 was removed under the retention policy on /);
    expect(
      (
        t.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM cases WHERE id = '12345'").get() as {
          n: number;
        }
      ).n,
    ).toBe(0);
  } finally {
    t.close();
  }
});
