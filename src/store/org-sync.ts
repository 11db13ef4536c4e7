import { notInArray } from "drizzle-orm";
import type { Org, StaffConfig } from "../config/org.ts";
import type { Store } from "./open.ts";
import { type StaffRow, staff, type TeamRow, teams } from "./schema.ts";

/**
 * What writing the config's teams and staff into the database would change, worked out before
 * anything is written, so a sync can be reported ("2 people added, 1 left") and refused when it
 * would empty the agency or a team. Names are staff and team names: never child data.
 */
export interface SyncPlan {
  readonly peopleAdded: readonly string[];
  /** inactive rows the config names again */
  readonly peopleBack: readonly string[];
  /** still here, with another name, role, team, Slack or Teams id */
  readonly peopleChanged: readonly string[];
  readonly peopleLeaving: readonly { readonly id: number; readonly name: string }[];
  /** active staff before the sync */
  readonly activeBefore: number;
  readonly teamsAdded: readonly string[];
  readonly teamsRenamed: readonly { readonly from: string; readonly to: string }[];
  readonly teamsBack: readonly string[];
  readonly teamsLeaving: readonly string[];
  /** teams that have active members now and would have none of them left */
  readonly teamsEmptied: readonly string[];
}

export interface OrgRows {
  readonly teams: readonly TeamRow[];
  readonly staff: readonly StaffRow[];
}

export function readOrgRows(store: Store): OrgRows {
  return { teams: store.db.select().from(teams).all(), staff: store.db.select().from(staff).all() };
}

/** Pure: the database's rows and the config in, what a sync would do out. */
export function planSync(rows: OrgRows, org: Org): SyncPlan {
  const teamRow = new Map(rows.teams.map((t) => [t.id, t]));
  const configTeams = new Set(org.teams.map((t) => t.id));
  const teamsAdded: string[] = [];
  const teamsRenamed: { from: string; to: string }[] = [];
  const teamsBack: string[] = [];
  for (const t of org.teams) {
    const row = teamRow.get(t.id);
    if (!row) teamsAdded.push(t.name);
    else {
      if (row.name !== t.name) teamsRenamed.push({ from: row.name, to: t.name });
      if (!row.active) teamsBack.push(t.name);
    }
  }
  const teamsLeaving = rows.teams.filter((t) => t.active && !configTeams.has(t.id)).map((t) => t.name);

  const staffRow = new Map(rows.staff.map((s) => [s.email, s]));
  const configEmails = new Set(org.staff.map((s) => s.email));
  const peopleAdded: string[] = [];
  const peopleBack: string[] = [];
  const peopleChanged: string[] = [];
  for (const s of org.staff) {
    const row = staffRow.get(s.email);
    if (!row) peopleAdded.push(s.name);
    else if (!row.active) peopleBack.push(s.name);
    else if (differs(row, s)) peopleChanged.push(s.name);
  }
  const active = rows.staff.filter((s) => s.active);
  const leaving = active.filter((s) => !configEmails.has(s.email));
  const leavingIds = new Set(leaving.map((s) => s.id));

  const teamsEmptied: string[] = [];
  for (const t of rows.teams) {
    const members = active.filter((s) => s.teamIds.includes(t.id));
    if (members.length > 0 && members.every((s) => leavingIds.has(s.id))) teamsEmptied.push(t.name);
  }
  return {
    peopleAdded,
    peopleBack,
    peopleChanged,
    peopleLeaving: leaving.map((s) => ({ id: s.id, name: s.name })),
    activeBefore: active.length,
    teamsAdded,
    teamsRenamed,
    teamsBack,
    teamsLeaving,
    teamsEmptied,
  };
}

/**
 * A sync that needs `--accept-staff-changes`: marking a quarter or more of the active staff as gone,
 * or every member of a team, is what a wrong or half-edited config looks like.
 */
export function needsAcceptance(plan: SyncPlan): boolean {
  const n = plan.peopleLeaving.length;
  return n > 0 && (n * 4 >= plan.activeBefore || plan.teamsEmptied.length > 0);
}

export function changesNothing(plan: SyncPlan): boolean {
  return (
    plan.peopleAdded.length +
      plan.peopleBack.length +
      plan.peopleChanged.length +
      plan.peopleLeaving.length +
      plan.teamsAdded.length +
      plan.teamsRenamed.length +
      plan.teamsBack.length +
      plan.teamsLeaving.length ===
    0
  );
}

/**
 * Writes the config's teams and staff into the database so cases and events can reference them.
 * Config is the truth; people and teams that leave it are marked inactive, never deleted, because
 * their past records still point at them. `check` sees the plan first, inside the same transaction,
 * and throws to refuse it: then nothing is written.
 */
export function syncOrg(store: Store, org: Org, check: (plan: SyncPlan) => void = () => {}): SyncPlan {
  const { db } = store;
  // IMMEDIATE, as every write: the plan is made under the write lock, so it is what gets applied.
  return store.sqlite
    .transaction(() => {
      const rows = readOrgRows(store);
      const plan = planSync(rows, org);
      check(plan);
      // Only rows that change are written: a running app's reload of a 10,500-person agency took
      // 4 s of upserts for one person added, and nothing is served while it runs.
      const teamRow = new Map(rows.teams.map((t) => [t.id, t]));
      const staffRow = new Map(rows.staff.map((r) => [r.email, r]));
      for (const t of org.teams) {
        const row = teamRow.get(t.id);
        if (row?.active && row.name === t.name) continue;
        db.insert(teams)
          .values({ id: t.id, name: t.name, active: true })
          .onConflictDoUpdate({ target: teams.id, set: { name: t.name, active: true } })
          .run();
      }
      db.update(teams)
        .set({ active: false })
        .where(
          notInArray(
            teams.id,
            org.teams.map((t) => t.id),
          ),
        )
        .run();
      for (const s of org.staff) {
        const was = staffRow.get(s.email);
        if (was?.active && !differs(was, s)) continue;
        const row = staffValues(s);
        db.insert(staff).values(row).onConflictDoUpdate({ target: staff.email, set: row }).run();
      }
      db.update(staff)
        .set({ active: false })
        .where(
          notInArray(
            staff.email,
            org.staff.map((s) => s.email),
          ),
        )
        .run();
      return plan;
    })
    .immediate();
}

function staffValues(s: StaffConfig) {
  return {
    email: s.email,
    name: s.name,
    role: s.role,
    teamIds: [...s.teams],
    slackId: s.slackId ?? null,
    teamsId: s.teamsId ?? null,
    active: true,
  };
}

function differs(row: StaffRow, s: StaffConfig): boolean {
  const v = staffValues(s);
  const sameTeams =
    row.teamIds.length === v.teamIds.length && v.teamIds.every((t) => row.teamIds.includes(t));
  return (
    row.name !== v.name ||
    row.role !== v.role ||
    !sameTeams ||
    row.slackId !== v.slackId ||
    row.teamsId !== v.teamsId
  );
}
