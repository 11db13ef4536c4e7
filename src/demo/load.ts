import type { Ctx } from "../app/context.ts";
import { SEED_ROWS, SEED_SUPERVISOR, SEED_WORKER } from "./seed-rows.ts";

/**
 * Puts the seed's sample cases into a database, in one transaction, as imported records: allocated to
 * Jane Smith, opened by her supervisor, each element an event with surface "import".
 */
export function loadDemoData(ctx: Ctx): { cases: number; events: number } {
  const jane = ctx.people.byEmail(SEED_WORKER);
  const sam = ctx.people.byEmail(SEED_SUPERVISOR);
  if (!jane || !sam)
    throw new Error(
      `the demo data needs ${SEED_WORKER} and ${SEED_SUPERVISOR} in the config (${ctx.org.source})`,
    );
  const teamId = jane.teams[0]!;
  const at = ctx.clock.now().toISOString();
  let events = 0;
  ctx.repo.transaction(() => {
    for (const row of SEED_ROWS) {
      ctx.repo.cases.insert(
        {
          id: row.id,
          childName: row.childName,
          dob: null,
          ageAtOpening: row.age,
          openedOn: row.openedOn,
          service: row.service,
          abuseTypes: [...row.abuse],
          workerId: jane.staffId,
          teamId,
          status: "open",
          createdAt: at,
          createdBy: sam.staffId,
        },
        sam.staffId,
        at,
      );
      for (const r of row.recorded) {
        ctx.repo.events.append({
          caseId: row.id,
          element: r.element,
          occurredOn: r.on,
          value: r.value ?? null,
          note: null,
          recordedBy: jane.staffId,
          recordedAt: at,
          surface: "import",
        });
        events++;
      }
      ctx.repo.audit.record({
        at,
        actorId: sam.staffId,
        surface: "import",
        action: "import",
        caseId: row.id,
        detail: { source: "seed" },
      });
    }
  });
  return { cases: SEED_ROWS.length, events };
}
