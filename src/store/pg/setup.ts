import { eq, notInArray, sql } from "drizzle-orm";
import { createPeople, type People } from "../../commands/directory.ts";
import type { Org, StaffConfig } from "../../config/org.ts";
import type { Leaver } from "../../domain/leavers.ts";
import type { ReloadRecord } from "../config-reload.ts";
import type { AgencyRecord } from "../meta.ts";
import { type OrgRows, planSync, type SyncPlan } from "../org-sync.ts";
import type { StaffRow } from "../schema.ts";
import { pgRecordReloadOn } from "./instances.ts";
import { LOCK_SPACE, type PgStore, SETUP_LOCK } from "./open.ts";
import { cases, meta, staff, teams } from "./schema.ts";

export interface PgSetUp {
  readonly agency: "recorded" | "renamed" | "same";
  readonly previous: AgencyRecord | null;
  readonly sync: SyncPlan;
}

/**
 * Claims the database for the config's agency (or checks it is that agency's) and writes its teams
 * and staff, in one transaction, as `syncContext` does on SQLite, with the same pure plan
 * (`planSync`). `check` sees the agency recorded before and the plan, and throws to refuse: then
 * nothing is written. Two instances setting up at once take turns (an advisory lock), so the plan
 * is made on the rows it is applied to.
 */
export async function setUpPg(
  store: PgStore,
  org: Org,
  at: string,
  check: (previous: AgencyRecord | null, plan: SyncPlan) => void,
): Promise<PgSetUp> {
  return store.db.transaction((tx) => syncInTx(tx, org, at, check));
}

type PgTx = Parameters<Parameters<PgStore["db"]["transaction"]>[0]>[0];

/**
 * The set-up's writes inside the caller's transaction, under the set-up lock: the start's set-up
 * and a running instance's reload (`pgReloadSync`) take the same lock, so two instances syncing at
 * once take turns, and the second finds nothing left to change.
 */
async function syncInTx(
  tx: PgTx,
  org: Org,
  at: string,
  check: (previous: AgencyRecord | null, plan: SyncPlan) => void,
): Promise<PgSetUp> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${SETUP_LOCK})`);
  const [row] = await tx.select().from(meta);
  const previous = row ? { id: row.agencyId, name: row.agencyName } : null;
  const rows = { teams: await tx.select().from(teams), staff: await tx.select().from(staff) };
  const plan = planSync(rows, org);
  check(previous, plan);
  const agency: PgSetUp["agency"] =
    previous === null ? "recorded" : previous.name !== org.agency.name ? "renamed" : "same";
  if (agency !== "same")
    await tx
      .insert(meta)
      .values({ id: 1, agencyId: org.agency.id, agencyName: org.agency.name, recordedAt: at })
      .onConflictDoUpdate({ target: meta.id, set: { agencyName: org.agency.name } });
  // Config is the truth; teams and people who leave it are marked inactive, never deleted, since
  // their past records still point at them. Only rows that change are written.
  const teamRow = new Map(rows.teams.map((t) => [t.id, t]));
  for (const t of org.teams) {
    const was = teamRow.get(t.id);
    if (was?.active && was.name === t.name) continue;
    await tx
      .insert(teams)
      .values({ id: t.id, name: t.name, active: true })
      .onConflictDoUpdate({ target: teams.id, set: { name: t.name, active: true } });
  }
  const keptTeams = org.teams.map((t) => t.id);
  if (keptTeams.length) await tx.update(teams).set({ active: false }).where(notInArray(teams.id, keptTeams));
  const staffRow = new Map(rows.staff.map((r) => [r.email, r]));
  for (const s of org.staff) {
    const was = staffRow.get(s.email);
    const values = staffValues(s);
    if (was?.active && same(was, values)) continue;
    await tx.insert(staff).values(values).onConflictDoUpdate({ target: staff.email, set: values });
  }
  const keptStaff = org.staff.map((s) => s.email);
  if (keptStaff.length)
    await tx.update(staff).set({ active: false }).where(notInArray(staff.email, keptStaff));
  return { agency, previous, sync: plan };
}

/** People no longer in the config who still hold open cases, as `leaversWithOpenCases` on SQLite. */
export async function pgLeavers(store: PgStore, org: Org): Promise<Leaver[]> {
  const rows = await store.db
    .select({
      staffId: staff.id,
      email: staff.email,
      name: staff.name,
      openCases: sql<number>`count(*)::integer`,
    })
    .from(cases)
    .innerJoin(staff, eq(staff.id, cases.workerId))
    .where(eq(cases.status, "open"))
    .groupBy(staff.id);
  const current = new Set(org.staff.map((s) => s.email));
  return rows
    .filter((r) => !current.has(r.email))
    .map(({ staffId, name, openCases }) => ({ staffId, name, openCases }))
    .sort((a, b) => b.openCases - a.openCases || a.name.localeCompare(b.name));
}

/** The agency recorded in the database; null before the first `sos migrate`. */
export async function pgAgency(store: PgStore): Promise<AgencyRecord | null> {
  const [row] = await store.db.select().from(meta);
  return row ? { id: row.agencyId, name: row.agencyName } : null;
}

/** The teams and staff rows a sync is planned on (`readOrgRows` on SQLite), read in one snapshot. */
export async function pgOrgRows(store: PgStore): Promise<OrgRows> {
  return store.db.transaction(
    async (tx) => ({ teams: await tx.select().from(teams), staff: await tx.select().from(staff) }),
    { isolationLevel: "repeatable read" },
  );
}

/** How many cases the database holds (closed and erased ones too): whether it is new for the demo. */
export async function pgCaseCount(store: PgStore): Promise<number> {
  const [row] = await store.db.select({ n: sql<number>`count(*)::integer` }).from(cases);
  return row?.n ?? 0;
}

/** Every staff row, current and former: whom the people of a config are matched to. */
export async function pgStaffRows(store: PgStore): Promise<StaffRow[]> {
  return store.db.select().from(staff);
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

function same(row: StaffRow, v: ReturnType<typeof staffValues>): boolean {
  return (
    row.name === v.name &&
    row.role === v.role &&
    row.teamIds.length === v.teamIds.length &&
    v.teamIds.every((t) => row.teamIds.includes(t)) &&
    row.slackId === v.slackId &&
    row.teamsId === v.teamsId
  );
}

/**
 * A running instance's reload on PostgreSQL, in one transaction: under the set-up lock, the agency
 * and time zone checked against the database's (`refuse` names what may not change), the staff
 * guard, the teams and staff synced, the outcome recorded on this instance's row (`instance`, see
 * `instances.ts`), and the people the new config makes read back from the synced rows. `refuse`
 * throws to write nothing.
 */
export async function pgReloadSync(
  store: PgStore,
  next: Org,
  at: string,
  refuse: (previous: AgencyRecord | null, plan: SyncPlan) => void,
  record: ReloadRecord,
  instance: number,
): Promise<People> {
  return store.db.transaction(async (tx) => {
    await syncInTx(tx, next, at, refuse);
    await pgRecordReloadOn(tx, instance, record);
    const rows = await tx.select().from(staff);
    const ids = new Map(rows.filter((r) => r.active).map((r) => [r.email, r.id]));
    return createPeople(next, ids, rows);
  });
}

/** A refused reload, recorded on its own on this instance's row: nothing else was written. */
export async function pgRecordReload(store: PgStore, instance: number, record: ReloadRecord): Promise<void> {
  await pgRecordReloadOn(store.db, instance, record);
}
