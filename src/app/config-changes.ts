import type { Org, StaffConfig } from "../config/org.ts";
import { schedules } from "../digest/schedule.ts";
import { changesNothing, type OrgRows, planSync } from "../store/org-sync.ts";
import { syncSummary } from "./set-up-report.ts";

/**
 * What a reload changed in the running app, as the log says it: "2 people added, 1 left the config,
 * North Team's supervisor changed". Measured from the config it ran before, not from the database
 * (which `sos sync` may have brought up to date first). Staff and team names only, never child
 * data. Pure: the two configs in, the phrases out (empty when nothing changed).
 */
export function configChanges(before: Org, after: Org): string[] {
  // The people and teams said as a sync says them, as if the database held the config before.
  const plan = planSync(rowsOf(before), after);
  const out: string[] = changesNothing(plan) ? [] : [syncSummary(plan)];
  if (before.agency.name !== after.agency.name) out.push(`agency renamed (was ${before.agency.name})`);
  const supervisedBefore = supervisors(before.staff);
  const supervisedAfter = supervisors(after.staff);
  for (const t of after.teams) {
    if (!before.teams.some((b) => b.id === t.id)) continue;
    const now = supervisedAfter.get(t.id) ?? [];
    if (!same(supervisedBefore.get(t.id) ?? [], now))
      out.push(`${t.name}'s supervisor${now.length > 1 ? "s" : ""} changed`);
  }
  const awayBefore = new Map(before.staff.map((s) => [s.email, JSON.stringify(s.away)]));
  const away = after.staff.filter((s) => {
    const was = awayBefore.get(s.email);
    return was !== undefined && was !== JSON.stringify(s.away);
  }).length;
  if (away > 0) out.push(`leave changed for ${away} ${away === 1 ? "person" : "people"}`);
  if (JSON.stringify(schedules(before)) !== JSON.stringify(schedules(after)))
    out.push("digest schedules changed");
  // A team's channel counts as changed only for a team in both (a team added is said as added).
  const kept = new Set(after.teams.filter((t) => before.teams.some((b) => b.id === t.id)).map((t) => t.id));
  const channels = (o: Org) =>
    JSON.stringify([o.managers, o.teams.filter((t) => kept.has(t.id)).map((t) => [t.id, t.channels])]);
  if (channels(before) !== channels(after)) out.push("channels changed");
  // The rest of the settings, each by the key an admin edits.
  const settings: [string, (o: Org) => unknown][] = [
    ["dashboards", (o) => o.dashboards],
    ["stuck", (o) => [o.stuck, o.escalateAfterDays]],
    ["outcomes", (o) => o.outcomes],
    ["dates", (o) => o.dates],
    ["channelNames", (o) => o.channelNames],
    ["adultAge", (o) => o.adultAge],
    ["holidays", (o) => o.holidays],
    ["digest.quietWeeks", (o) => o.quietWeeks],
  ];
  const changed = settings
    .filter(([, of]) => JSON.stringify(of(before)) !== JSON.stringify(of(after)))
    .map(([key]) => key);
  if (changed.length > 0) out.push(`${changed.join(", ")} changed`);
  return out;
}

function rowsOf(org: Org): OrgRows {
  return {
    teams: org.teams.map((t) => ({ id: t.id, name: t.name, active: true })),
    staff: org.staff.map((s, i) => ({
      id: i + 1,
      email: s.email,
      name: s.name,
      role: s.role,
      teamIds: [...s.teams],
      slackId: s.slackId ?? null,
      teamsId: s.teamsId ?? null,
      active: true,
    })),
  };
}

/** Each team's supervisors' emails, sorted: one pass over the staff. */
function supervisors(staff: readonly StaffConfig[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const s of staff) {
    if (s.role !== "supervisor") continue;
    for (const t of s.teams) by.set(t, [...(by.get(t) ?? []), s.email]);
  }
  for (const list of by.values()) list.sort();
  return by;
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
