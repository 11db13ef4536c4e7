import type { Ctx } from "../app/context.ts";
import type { Change, Write } from "../store/records.ts";
import { SEED_ROWS, SEED_SUPERVISOR, SEED_WORKER } from "./seed-rows.ts";

/**
 * The seed's sample cases as one batch of writes, as imported records: allocated to Jane Smith,
 * opened by her supervisor, each element an entry with surface "import". Either store applies it.
 */
export function demoChange(ctx: Ctx): Change<{ cases: number; events: number }> {
  const jane = ctx.people.byEmail(SEED_WORKER);
  const sam = ctx.people.byEmail(SEED_SUPERVISOR);
  if (!jane || !sam)
    throw new Error(
      `the demo data needs ${SEED_WORKER} and ${SEED_SUPERVISOR} in the config (${ctx.org.source})`,
    );
  const teamId = jane.teams[0]!;
  const at = ctx.clock.now().toISOString();
  const writes: Write[] = [];
  let events = 0;
  for (const row of SEED_ROWS) {
    writes.push({
      kind: "openCase",
      row: {
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
      by: sam.staffId,
      at,
    });
    for (const r of row.recorded) {
      writes.push({
        kind: "appendEvent",
        event: {
          caseId: row.id,
          element: r.element,
          occurredOn: r.on,
          value: r.value ?? null,
          note: null,
          recordedBy: jane.staffId,
          recordedAt: at,
          surface: "import",
        },
      });
      events++;
    }
    writes.push({
      kind: "audit",
      entry: {
        at,
        actorId: sam.staffId,
        surface: "import",
        action: "import",
        caseId: row.id,
        detail: { source: "seed" },
      },
    });
  }
  return {
    writes,
    expect: SEED_ROWS.map((r) => ({ kind: "noCase", caseId: r.id })),
    reply: () => ({ cases: SEED_ROWS.length, events }),
  };
}

/**
 * Puts the seed's sample cases into the SQLite file, in one transaction. Synchronous, for the
 * set-up commands and tests that load it before anything awaits; `demoChange` is the same batch
 * for `Records.apply`.
 */
export function loadDemoData(ctx: Ctx): { cases: number; events: number } {
  const change = demoChange(ctx);
  return ctx.repo.transaction(() => {
    for (const w of change.writes) {
      if (w.kind === "openCase") ctx.repo.cases.insert(w.row, w.by, w.at);
      else if (w.kind === "appendEvent") ctx.repo.events.append(w.event);
      else if (w.kind === "audit") ctx.repo.audit.record(w.entry);
    }
    return change.reply([]);
  });
}
