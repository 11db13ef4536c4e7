import { afterAll, beforeAll, expect, test } from "vitest";
import { makeInvocation } from "../src/commands/invocation.ts";
import { OPERATOR } from "../src/commands/views.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { agencySummaryText, teamDigestText } from "../src/digest/text.ts";
import { AH_HIN, JANE, ROBIN, SAM } from "./helpers/ctx.ts";
import { makeStoreCtx, PG_AVAILABLE, type StoreTestCtx } from "./helpers/stores.ts";

// The team digests and the agency summary read the record through `RecordReads` (aggregates counted
// in the database): the same record on SQLite and on PostgreSQL gives the same digests word for word.
// The demo plus a second team, so a case can move between teams.
const CONFIG = `
agency: { name: Two Teams, timeZone: Europe/London }
teams:
  - { id: north, name: North Team }
  - { id: south, name: South Team }
staff:
  - { email: ${JANE}, name: Jane Smith, role: worker, team: North Team }
  - { email: ${AH_HIN}, name: Ah Hin Xeng, role: worker, team: North Team }
  - { email: ${SAM}, name: Sam Okafor, role: supervisor, team: North Team }
  - { email: stu.south@demo-agency.example, name: Stu South, role: worker, team: South Team }
  - { email: sue.south@demo-agency.example, name: Sue South, role: supervisor, team: South Team }
  - { email: ${ROBIN}, name: Robin Ellis, role: admin }
`;
const SCRIPT: [string, string][] = [
  [JANE, "three-houses 12345 yesterday"],
  [JANE, "scale 12346 6 -- after the network meeting"],
  [SAM, "open 70001 Ana Lee 4 cp"],
  [SAM, `assign 70001 ${AH_HIN}`],
  [AH_HIN, "mapped-with-family 70001"],
  [SAM, "assign 12346 stu.south@demo-agency.example"],
  [SAM, "close 12345 safe at home -- plan holding"],
];
// Today (the clock's day, with a close on it), and a week before it: a run catching up on an earlier
// week counts the case closed since as open then.
const DAYS = ["2016-03-01", "2016-02-23"];

let sqlite: StoreTestCtx;
let postgres: StoreTestCtx | undefined;
beforeAll(async () => {
  sqlite = await makeStoreCtx("sqlite", { config: CONFIG });
  if (PG_AVAILABLE) postgres = await makeStoreCtx("postgres", { config: CONFIG });
  for (const t of [sqlite, postgres]) {
    if (!t) continue;
    for (const [who, text] of SCRIPT) {
      const r = await t.run(who, text);
      if (!r.ok) throw new Error(`${text}: ${r.text}`);
    }
  }
}, 60_000);
afterAll(async () => {
  await sqlite.close();
  await postgres?.close();
});

/** Every team's digest and the agency summary as their text, for each day. */
async function digests(t: StoreTestCtx): Promise<string[]> {
  const env = makeInvocation(t.ctx, OPERATOR, "digest", "channel");
  const out: string[] = [];
  for (const asOf of DAYS) {
    const opts = { asOf, period: `to ${asOf}`, late: false };
    for (const team of t.ctx.org.teams) out.push(teamDigestText(await teamDigest(env, team.id, opts)));
    out.push(agencySummaryText(await agencySummary(env, opts)));
  }
  return out;
}

test.skipIf(!PG_AVAILABLE)(
  "the team digests and the agency summary read the same on both stores",
  async () => {
    const a = await digests(sqlite);
    expect(await digests(postgres!)).toEqual(a);
    // What the script did shows: the move between teams, the close with its outcome.
    expect(a.join("\n")).toContain("Transferred out (1)");
    expect(a.join("\n")).toContain("Transferred in (1)");
    expect(a.join("\n")).toContain("Closed cases (1)");
    expect(a.join("\n")).toContain("Of the 1 closed cases with each outcome");
  },
);

for (const kind of ["sqlite", "postgres"] as const) {
  test.skipIf(kind === "postgres" && !PG_AVAILABLE)(
    `the summary's open cases on a past day include those closed since [${kind}]`,
    async () => {
      const t = kind === "sqlite" ? sqlite : postgres!;
      const env = makeInvocation(t.ctx, OPERATOR, "digest", "channel");
      for (const asOf of DAYS) {
        const [row] = await t.rows(
          "SELECT count(*) AS n FROM cases WHERE opened_on <= $1 AND (closed_on IS NULL OR closed_on > $2)",
          [asOf, asOf],
        );
        const v = await agencySummary(env, { asOf, period: "w", late: false });
        expect({ asOf, open: v.coverage.total.openCases }).toEqual({ asOf, open: Number(row!.n) });
        expect(v.stuckCounts.rows.at(-1)![1]).toBe(String(row!.n));
      }
    },
  );
}
