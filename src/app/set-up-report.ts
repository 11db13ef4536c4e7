import type { Org } from "../config/org.ts";
import { leaversLines } from "../domain/leavers.ts";
import { changesNothing, type SyncPlan } from "../store/org-sync.ts";
import type { SetUp } from "./context.ts";
import { shown } from "./paths.ts";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 people added, 1 left, North Team renamed (was Northern Team)": what a sync changed, or would. */
export function syncSummary(plan: SyncPlan): string {
  if (changesNothing(plan)) return "the database already has the config's teams and staff";
  const parts: string[] = [];
  const people: [number, string][] = [
    [plan.peopleAdded.length, "added"],
    [plan.peopleBack.length, "back"],
    [plan.peopleChanged.length, "changed"],
    [plan.peopleLeaving.length, "left the config"],
  ];
  for (const [n, what] of people) {
    if (n === 0) continue;
    parts.push(parts.length === 0 ? `${count(n, "person", "people")} ${what}` : `${n} ${what}`);
  }
  for (const t of plan.teamsAdded) parts.push(`${t} added`);
  for (const t of plan.teamsRenamed) parts.push(`${t.to} renamed (was ${t.from})`);
  for (const t of plan.teamsBack) parts.push(`${t} back`);
  for (const t of plan.teamsLeaving) parts.push(`${t} left`);
  return parts.join(", ");
}

/** The lines `sos start`, `sos migrate` and `sos sync` print after setting up, labelled as start's banner. */
export function setUpLines(setUp: SetUp, dbPath: string, org: Org): string[] {
  const lines: string[] = [];
  const agency = `${org.agency.name} (agency id ${org.agency.id})`;
  if (setUp.agency === "recorded")
    lines.push(`Agency:    ${shown(dbPath)} now belongs to ${agency}; another agency's config is refused.`);
  if (setUp.agency === "adopted")
    lines.push(
      `Agency:    ${shown(dbPath)} had no agency recorded (it was made before sos-dashboards kept one); it now belongs to ${agency}.`,
    );
  if (setUp.agency === "renamed") lines.push(`Agency:    renamed from ${setUp.previous?.name} to ${agency}.`);
  lines.push(`Staff:     ${changesNothing(setUp.sync) ? "unchanged: " : ""}${syncSummary(setUp.sync)}.`);
  const [heading, ...each] = leaversLines(setUp.leavers);
  if (heading) lines.push(`Warning:   ${heading}`, ...each.map((l) => `         ${l}`));
  return lines;
}
