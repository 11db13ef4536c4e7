import { shown } from "../app/paths.ts";
import { ConfigError, loadOrg } from "../config/load.ts";
import type { Org } from "../config/org.ts";
import { formatDate, localDate, localTime } from "../domain/dates.ts";
import type { ConfigReloadRow } from "../store/schema.ts";

/**
 * What `sos config check` says the same way on either store: the config's verdict, and how one
 * running `sos start`'s config stands (its start, its last reload applied or refused and why).
 */

/** The config and its staff file read as the running app would: the org, or every problem. */
export function readConfigFiles(configPath: string): { org: Org | null; problems: string[] } {
  try {
    return { org: loadOrg(configPath), problems: [] };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { org: null, problems: [...e.problems] };
  }
}

/** The verdict on the files: usable as they are (and what a sync would change), or each problem. */
export function verdictLines(
  configPath: string,
  org: Org | null,
  problems: readonly string[],
  staff: string | null,
): string[] {
  if (problems.length === 0 && org) {
    const out = [
      `${shown(configPath)}: can be used as it is (${org.agency.name}: ${count(org.teams.length, "team")}, ${org.staff.length} staff${org.staffFile ? `, from the config and ${shown(org.staffFile)}` : ""}).`,
    ];
    if (staff) out.push(`Staff:     ${staff}.`);
    return out;
  }
  return [
    `${shown(configPath)} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}, so the app would not use it:`,
    ...problems.map((p) => `  - ${p}`),
  ];
}

/**
 * A running `sos start`'s lines: `who` names it (`pid 123`, or `pid 123 on host-a` where several
 * instances may share a database), then its last reload.
 */
export function runningAppLines(state: ConfigReloadRow, who: string, org: Org | null): string[] {
  const head = `Running:   sos start (${who}) since ${when(state.startedAt, org)}, with ${shown(state.configPath)}.`;
  if (state.at === null) return [head, "           It has not reloaded since it started."];
  const last = `Its last reload, ${when(state.at, org)} (${state.trigger === "signal" ? "SIGHUP" : "a file changed"})`;
  if (state.applied) return [head, `           ${last}, applied: ${state.summary}.`];
  return [
    head,
    `           ${last}, was refused, so it runs the config it had before:`,
    ...(state.problems ?? []).map((p) => `  - ${p}`),
  ];
}

/** An instant as the agency reads it, or in UTC when the config can't be read. */
export function when(iso: string, org: Org | null): string {
  const t = new Date(iso);
  if (!org) return `${iso.slice(0, 16).replace("T", " ")} UTC`;
  const tz = org.agency.timeZone;
  return `${formatDate(localDate(t, tz), org.dates.format)} ${localTime(t, tz)}`;
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
