import { staffRefusal, wrongAgency } from "../app/refusals.ts";
import { unchangeable } from "../app/reload.ts";
import { syncSummary } from "../app/set-up-report.ts";
import type { Org } from "../config/org.ts";
import { changesNothing, needsAcceptance, planSync, type SyncPlan } from "../store/org-sync.ts";
import { type InstanceRecord, pgInstanceRecords } from "../store/pg/instances.ts";
import { openPgStore, pgSchemaState } from "../store/pg/open.ts";
import { pgAgency, pgOrgRows } from "../store/pg/setup.ts";
import { readConfigFiles, runningAppLines, verdictLines, when } from "./config-lines.ts";

/**
 * `sos config check` on PostgreSQL: the same checks of the files as on SQLite, against the
 * database's agency and staff, and then every running instance's start and last reload, each
 * from its own row (an instance whose lock is free has stopped and is not shown as running).
 * Reads only: the connections are read-only. Exit 0 when the files can be used as they are.
 */
export async function checkOnPg(url: string, configPath: string): Promise<number> {
  const { org, problems } = readConfigFiles(configPath);
  const store = await openPgStore(url, { readOnly: true, max: 2 });
  try {
    const schema = await pgSchemaState(store.pool);
    // A schema behind this version's has the one-row table of before: nothing per instance to read.
    const rows = schema === "current" || schema === "ahead" ? await pgInstanceRecords(store) : [];
    const live = rows.filter((r) => r.live);
    let staff: string | null = null;
    if (org && schema !== "none") {
      const agency = await pgAgency(store);
      if (agency && agency.id !== org.agency.id) problems.push(wrongAgency(store.shown, org, agency).message);
      else
        for (const timeZone of new Set(live.map((r) => r.timeZone)))
          problems.push(...unchangeable(org, { agency: agency ?? org.agency, timeZone }));
      if (problems.length === 0) {
        const plan = planSync(await pgOrgRows(store), org);
        if (needsAcceptance(plan))
          problems.push(
            live.length > 0 ? acceptanceOnEach(org, plan, live) : staffRefusal(org, plan, "sync").message,
          );
        else
          staff = changesNothing(plan)
            ? "the database already has these teams and staff"
            : `a reload or sync now would change: ${syncSummary(plan)}`;
      }
    }
    const out = [
      ...verdictLines(configPath, org, problems, staff),
      ...runningLines(store.shown, schema, rows, org),
    ];
    process.stdout.write(`${out.join("\n")}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** Which instance: its pid alone would not say, since instances may run on several hosts. */
const who = (r: InstanceRecord) => `pid ${r.pid} on ${r.host}`;

function runningLines(
  shown: string,
  schema: Awaited<ReturnType<typeof pgSchemaState>>,
  rows: readonly InstanceRecord[],
  org: Org | null,
): string[] {
  if (schema === "none") return [`Running:   ${shown} is not set up yet, so no app has run on it.`];
  if (schema === "behind")
    return [
      `Running:   ${shown} needs migrating (\`sos migrate\`), so what its instances run is not read from it.`,
    ];
  const live = rows.filter((r) => r.live);
  const last = rows.at(-1);
  if (!last) return [`Running:   no sos start has run on ${shown} since reloads were kept.`];
  if (live.length === 0)
    return [
      `Running:   no sos start is running on ${shown} now (the last one, ${who(last)}, started ${when(last.startedAt, org)}).`,
    ];
  return live.flatMap((r) => runningAppLines(r, who(r), org));
}

/** The staff guard's refusal, saying how to accept the changes for every instance that is running. */
function acceptanceOnEach(org: Org, plan: SyncPlan, live: readonly InstanceRecord[]): string {
  const sentence = staffRefusal(org, plan, "sync").message.replace(/\.$/, "");
  const each = live.map((r) => `kill -HUP ${r.pid} on ${r.host}`).join(", ");
  return `${sentence}, then reload ${live.length === 1 ? "the app" : "each instance"} (${each}); or restart ${live.length === 1 ? "it" : "them"} with \`sos start --accept-staff-changes\``;
}
