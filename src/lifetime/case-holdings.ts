import type { Ctx } from "../app/context.ts";
import type { CaseRow } from "../store/schema.ts";
import type { LifetimeStore } from "./lifetime-store.ts";
import type { CaseHoldings } from "./subject-access.ts";

/** Everything held about one case, read through `Records` and the store's lifetime reads. */
export async function readHoldings(ctx: Ctx, lifetime: LifetimeStore, row: CaseRow): Promise<CaseHoldings> {
  const { reads } = ctx.records;
  const [staff, events, caseEvents, allocations, audit] = await Promise.all([
    reads.staff(),
    reads.caseEvents(row.id),
    reads.caseHistory(row.id),
    reads.allocations(row.id),
    reads.caseAudit(row.id),
  ]);
  const teams = [...new Set(allocations.map((a) => a.teamId))];
  const extras = await lifetime.extras(row.id, teams);
  return { case: row, staff, events, caseEvents, allocations, audit, ...extras };
}
