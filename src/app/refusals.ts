import type { Org } from "../config/org.ts";
import type { AgencyRecord } from "../store/meta.ts";
import type { SyncPlan } from "../store/org-sync.ts";
import { shown } from "./paths.ts";
import { UsageError } from "./usage-error.ts";

/**
 * The sentences that stop a command before it writes: each names the files involved and what to
 * do, and says that nothing was changed.
 */

export function wrongAgency(dbPath: string, org: Org, recorded: AgencyRecord): UsageError {
  return new UsageError(
    `${shown(dbPath)} belongs to ${recorded.name} (agency id ${recorded.id}) but the config ${shown(org.source)} is for ${org.agency.name} (agency id ${org.agency.id}), so nothing was changed: set SOS_CONFIG to that agency's config or SOS_DB to another database (the same agency under a new name keeps its records with agency.id: ${recorded.id} in the config).`,
  );
}

export function noDatabase(dbPath: string): UsageError {
  return new UsageError(
    `there is no database at ${shown(dbPath)} yet: \`sos migrate\` (or \`sos start\`) creates one for the config's agency, \`sos demo\` one for the demo agency.`,
  );
}

export function notSetUp(dbPath: string): UsageError {
  return new UsageError(
    `${shown(dbPath)} is not set up yet (it holds no sos tables), so nothing was read: run \`sos migrate\` first.`,
  );
}

export function schemaBehind(dbPath: string): UsageError {
  return new UsageError(
    `${shown(dbPath)} was made by an earlier version of sos-dashboards and nothing was changed: run \`sos migrate\` to bring it up to date.`,
  );
}

export function schemaAhead(dbPath: string): UsageError {
  return new UsageError(
    `${shown(dbPath)} was made by a newer version of sos-dashboards than this one, so nothing was changed: update this copy before using it.`,
  );
}

export function noAgencyRecorded(dbPath: string): UsageError {
  return new UsageError(
    `${shown(dbPath)} does not say which agency it belongs to yet, so nothing was changed: run \`sos migrate\` with that agency's config first.`,
  );
}

export function notADatabase(dbPath: string): UsageError {
  return new UsageError(`${shown(dbPath)} is not a database sos can read: check SOS_DB.`);
}

/** "3 of the 8 active staff (Jane Smith, Ah Hin Xeng and Sam Okafor)": up to five names. */
function people(names: readonly string[]): string {
  const shownNames = names.slice(0, 5);
  const more = names.length - shownNames.length;
  const list = more > 0 ? [...shownNames, `${more} more`] : shownNames;
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

export function staffRefusal(org: Org, plan: SyncPlan, command: string): UsageError {
  const n = plan.peopleLeaving.length;
  const teams = plan.teamsEmptied.length === 0 ? "" : ` and leave ${people(plan.teamsEmptied)} with no one`;
  return new UsageError(
    `the config ${shown(org.source)} would mark ${n} of the ${plan.activeBefore} active staff as gone (${people(plan.peopleLeaving.map((p) => p.name))})${teams}, so nothing was changed: if that is right, run \`sos ${command} --accept-staff-changes\`.`,
  );
}
