import type { Ctx } from "../../src/app/context.ts";
import { SERVICE_SLUGS } from "../../src/domain/dashboards.ts";
import type { ElementKey } from "../../src/domain/elements.ts";

/**
 * An agency-sized team for size tests: one team ("big") of 12 workers holding 400 open cases with
 * some practice recorded, long names everywhere, and 39 small teams beside it for the agency
 * picture. Every staff member has a Slack id (`USUP`, `UW1`…`UW12`, `UMGR`) and the big team has
 * channels on both platforms.
 */

export const BIG = {
  workers: 12,
  cases: 400,
  otherTeams: 39,
  supervisor: "sue@county.example",
  manager: "mgr@county.example",
  worker: (n: number) => `w${n}@county.example`,
  channel: { slack: "CBIGTEAM", teams: "19:big-team@thread.tacv2" },
  managers: { slack: "CMANAGERS", teams: "19:managers@thread.tacv2" },
} as const;

export function bigAgencyConfig(): string {
  const lines = [
    "agency: { name: Large County Children's Services, timeZone: Europe/London }",
    "dates: { order: dmy, format: dd/MM/yy }",
    "teams:",
    `  - { id: big, name: Northern Assessment and Family Safeguarding Team, channels: { slack: ${BIG.channel.slack}, teams: "${BIG.channel.teams}" } }`,
  ];
  for (let i = 1; i <= BIG.otherTeams; i++) lines.push(`  - { id: t${i}, name: Locality Team ${i} }`);
  lines.push(`managers: { channels: { slack: ${BIG.managers.slack}, teams: "${BIG.managers.teams}" } }`);
  lines.push("staff:");
  lines.push(
    `  - { email: ${BIG.supervisor}, name: Susannah Featherstonehaugh, role: supervisor, team: big, slackId: USUP }`,
  );
  for (let w = 1; w <= BIG.workers; w++)
    lines.push(
      `  - { email: ${BIG.worker(w)}, name: Worker Number${w} Longname-Smith, role: worker, team: big, slackId: UW${w} }`,
    );
  for (let i = 1; i <= BIG.otherTeams; i++)
    lines.push(`  - { email: o${i}@county.example, name: Other Worker ${i}, role: worker, team: t${i} }`);
  lines.push(`  - { email: ${BIG.manager}, name: Morgan Manager, role: manager, slackId: UMGR }`);
  lines.push("  - { email: admin@county.example, name: Ada Admin, role: admin, slackId: UADM }");
  return lines.join("\n");
}

const FIRST = ["Alexandria", "Mohammed", "Tui", "Oluwaseun", "Mary", "Jean-Baptiste", "Ana"];
const LAST = ["Montgomery-Smith", "Nguyen", "Okonkwo-Adeyemi", "Telis", "Featherstonehaugh", "Lima"];

/** Every child's full name in the big agency, to check that none reaches a channel. */
export const BIG_CHILD_NAMES: readonly string[] = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));

/**
 * The cases and their practice, recorded on 2016-03-01; a few opened and one closed in the week
 * before, so the digest has new and closed cases to list.
 */
export function seedBigAgency(ctx: Ctx): void {
  const { repo, people } = ctx;
  const at = "2016-03-01T09:00:00.000Z";
  const sup = people.byEmail(BIG.supervisor)!.staffId;
  repo.transaction(() => {
    const add = (id: string, workerId: number, teamId: string, i: number, openedOn?: string) => {
      const opened =
        openedOn ?? `2015-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 27)).padStart(2, "0")}`;
      repo.cases.insert(
        {
          id,
          childName: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`,
          dob: null,
          ageAtOpening: i % 17,
          openedOn: opened,
          service: SERVICE_SLUGS[i % 3]!,
          abuseTypes: ["FDV", "EA", "N"].slice(0, 1 + (i % 3)),
          workerId,
          teamId,
          status: "open",
          createdAt: at,
          createdBy: sup,
        },
        sup,
        at,
      );
      const log = (element: ElementKey, on: string, value: number | null = null) =>
        repo.events.append({
          caseId: id,
          element,
          occurredOn: on,
          value,
          note: null,
          recordedBy: workerId,
          recordedAt: at,
          surface: "import",
        });
      if (openedOn) return;
      log("mapping-internal", "2016-01-04");
      if (i % 2 === 0) log("mapping-internal", "2016-02-04");
      if (i % 3 !== 0) log("three-houses", "2016-01-20");
      if (i % 4 !== 0) log("safety-scale", "2016-02-10", i % 11);
      if (i % 5 !== 0) log("network", "2016-02-12", 3 + (i % 9));
      if (i % 7 === 0) log("words-and-pictures", "2016-02-26");
    };
    const worker = (i: number) => people.byEmail(BIG.worker(1 + (i % BIG.workers)))!.staffId;
    for (let i = 0; i < BIG.cases; i++) add(`NA${String(100000 + i)}`, worker(i), "big", i);
    for (let i = 0; i < 6; i++) add(`NEW${i}`, worker(i), "big", i, "2016-02-26");
    for (let t = 1; t <= BIG.otherTeams; t++)
      for (let i = 0; i < 5; i++)
        add(`L${t}-${i}`, people.byEmail(`o${t}@county.example`)!.staffId, `t${t}`, t + i);
  });
  repo.cases.close("NA100001", "2016-02-29", "safe-at-home", null);
}
