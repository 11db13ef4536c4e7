import { type Ctx, syncContext } from "../src/app/context.ts";
import type { Clock } from "../src/commands/clock.ts";
import { parseOrg } from "../src/config/load.ts";
import { elementColumns, SERVICE_SLUGS } from "../src/domain/dashboards.ts";
import { addDays } from "../src/domain/dates.ts";
import { ELEMENTS, type ElementKey } from "../src/domain/elements.ts";
import type { Store } from "../src/store/open.ts";
import { rebuildProjection } from "../src/store/rebuild.ts";

export interface Shape {
  readonly teams: number;
  readonly workersPerTeam: number;
  readonly cases: number;
  readonly events: number;
}

/** The agency: 50 teams, 1,000 workers, 20,000 open cases, 1,000,000 events. */
export const SHAPE: Shape = { teams: 50, workersPerTeam: 20, cases: 20_000, events: 1_000_000 };
export const TODAY = "2026-11-26";

/** The agency `k` times over: k× the teams (so the workers), cases and events; the same per case. */
export function scaled(shape: Shape, k: number): Shape {
  if (!Number.isInteger(k) || k < 1) throw new Error(`a scale is a whole number from 1 (got ${k})`);
  return { ...shape, teams: shape.teams * k, cases: shape.cases * k, events: shape.events * k };
}

/** The synthetic agency's config and its people, synced into the store. */
export function syntheticContext(store: Store, clock: Clock, shape: Shape): Ctx {
  return syncContext(parseOrg(syntheticConfig(shape), "synthetic.config.yaml"), store, clock).ctx;
}

/** A deterministic generator, so every run measures the same agency. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticConfig(shape: Shape): string {
  const lines = ["agency: { name: Synthetic Agency, timeZone: Europe/London }", "teams:"];
  for (let t = 0; t < shape.teams; t++)
    lines.push(`  - { id: team-${t}, name: Team ${t}, channels: { slack: C${t} } }`);
  lines.push("staff:");
  for (let t = 0; t < shape.teams; t++) {
    lines.push(
      `  - { email: sup${t}@synthetic.example, name: Supervisor ${t}, role: supervisor, team: team-${t} }`,
    );
    for (let w = 0; w < shape.workersPerTeam; w++) {
      lines.push(
        `  - { email: w${t}-${w}@synthetic.example, name: Worker ${t}-${w}, role: worker, team: team-${t} }`,
      );
    }
  }
  lines.push("  - { email: manager@synthetic.example, name: Manager, role: manager }");
  return lines.join("\n");
}

/**
 * Fills a database with the synthetic agency: cases spread evenly over workers, events spread over
 * each case's own dashboard elements and its life so far, leaving the last 30 days free so the
 * measured logs never collide with an existing entry. Bulk-inserted with raw prepared statements,
 * then the projection is rebuilt from the events in one statement.
 */
export function buildAgency(store: Store, clock: Clock, shape: Shape, today: string): Ctx {
  const ctx = syntheticContext(store, clock, shape);
  const org = ctx.org;
  const random = rng(20261126);
  const workers = ctx.people.all().filter((a) => a.role === "worker");
  const insertCase = store.sqlite.prepare(
    `INSERT INTO cases (id, child_name, age_at_opening, opened_on, service, abuse_types, worker_id, team_id, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
  );
  const insertAllocation = store.sqlite.prepare(
    "INSERT INTO allocations (case_id, worker_id, team_id, from_on, assigned_at) VALUES (?, ?, ?, ?, ?)",
  );
  const insertEvent = store.sqlite.prepare(
    `INSERT INTO practice_events (case_id, element, occurred_on, value, recorded_by, recorded_at, surface)
     VALUES (?, ?, ?, ?, ?, ?, 'import')`,
  );
  const now = clock.now().toISOString();
  const perCase = Math.floor(shape.events / shape.cases);
  const elementsOf = Object.fromEntries(
    SERVICE_SLUGS.map((s) => [s, elementColumns(org.dashboards[s]).map((c) => c.id)]),
  ) as Record<(typeof SERVICE_SLUGS)[number], ElementKey[]>;
  const batch = store.sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const worker = workers[i % workers.length]!;
      const service = SERVICE_SLUGS[i % SERVICE_SLUGS.length]!;
      const age = 30 + Math.floor(random() * 700);
      const opened = addDays(today, -age);
      const id = String(100000 + i);
      insertCase.run(
        id,
        `Child ${i}`,
        Math.floor(random() * 17),
        opened,
        service,
        '["N"]',
        worker.staffId,
        worker.teams[0],
        now,
      );
      insertAllocation.run(id, worker.staffId, worker.teams[0], opened, now);
      const elements = elementsOf[service];
      for (let e = 0; e < perCase; e++) {
        const element = elements[Math.floor(random() * elements.length)]!;
        const kind = ELEMENTS[element].kind;
        const on = addDays(opened, Math.floor(random() * (age - 30)));
        const value =
          kind === "rating" ? Math.floor(random() * 11) : kind === "count" ? Math.floor(random() * 15) : null;
        insertEvent.run(id, element, on, value, worker.staffId, now);
      }
    }
  });
  for (let i = 0; i < shape.cases; i += 1000) batch(i, Math.min(shape.cases, i + 1000));
  rebuildProjection(store);
  return ctx;
}
