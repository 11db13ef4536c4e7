import { afterAll, beforeAll, expect, test } from "vitest";
import { coverageData } from "../src/api/coverage.ts";
import {
  dashboardFor,
  homeData,
  OPERATOR,
  stuckFor,
  type ViewScope,
  viewEnv,
} from "../src/commands/views.ts";
import { whiteboardModel } from "../src/digest/whiteboard.ts";
import { AH_HIN, JANE, MORGAN, ROBIN, SAM } from "./helpers/ctx.ts";
import { makeStoreCtx, PG_AVAILABLE, type StoreTestCtx } from "./helpers/stores.ts";

// The command layer cannot tell the stores apart: the same commands, in the same order, on SQLite
// and on PostgreSQL, give the same replies word for word (entry numbers included).
const SCRIPT: [string, string][] = [
  [JANE, "three-houses 12345 yesterday"],
  [JANE, "scale 12346 6 -- after the network meeting"],
  [JANE, "undo"],
  [SAM, "open 70001 Ana Lee 4 cp"],
  [SAM, `assign 70001 ${AH_HIN}`],
  [AH_HIN, "mapped-with-family 70001"],
  [SAM, "edit 12345 abuse N"],
  [SAM, "move 12346 voluntary"],
  [SAM, "close 12345 safe at home -- plan holding"],
  [SAM, "reopen 12345"],
  [JANE, "away 2016-03-07 2016-03-09"],
  [SAM, "snooze 12346 14"],
  [JANE, "case 12345"],
  [JANE, "mine"],
  [SAM, "team"],
  [SAM, "stuck"],
  [MORGAN, "agency"],
  [SAM, "audit 12345"],
  [ROBIN, "whoami"],
  [JANE, "help"],
];

let sqlite: StoreTestCtx;
let postgres: StoreTestCtx | undefined;
beforeAll(async () => {
  sqlite = await makeStoreCtx("sqlite");
  if (PG_AVAILABLE) postgres = await makeStoreCtx("postgres");
});
afterAll(async () => {
  await sqlite.close();
  await postgres?.close();
});

test.skipIf(!PG_AVAILABLE)("every command answers the same on both stores", async () => {
  const refused: string[] = [];
  for (const [who, text] of SCRIPT) {
    const a = await sqlite.run(who, text);
    const b = await postgres!.run(who, text);
    expect({ text, reply: b }).toEqual({ text, reply: a });
    if (!a.ok) refused.push(`${text}: ${a.text}`);
  }
  // Each step does what it says: the script is not a list of refusals compared with each other.
  expect(refused).toEqual([]);
});

// views-records: the views for surfaces that are not a chat command (dashboards and stuck lists for
// the CLI and the API, App Home, the whiteboard's data, the API's coverage and a case's staff) read
// through `Records` too, so they answer the same on both stores, after the script above and a close.
test.skipIf(!PG_AVAILABLE)(
  "dashboards, stuck lists, App Home, the whiteboard and the API's reads answer the same on both stores",
  async () => {
    for (const s of [sqlite, postgres!]) {
      expect((await s.run(SAM, "close 70001 safe at home")).ok).toBe(true);
      expect((await s.run(JANE, "mapped-with-family 12346")).ok).toBe(true);
    }
    const views = async (s: StoreTestCtx) => {
      const scopes: [string, ViewScope][] = [
        ["worker", { kind: "worker", worker: s.as(JANE) }],
        ["team", { kind: "team", teamId: "north" }],
        ["agency", { kind: "agency" }],
      ];
      const out: Record<string, unknown> = {};
      for (const audience of ["private", "channel"] as const) {
        const env = viewEnv(s.ctx, OPERATOR, "cli", audience);
        for (const [name, scope] of scopes) {
          out[`${audience} ${name} dashboards`] = await dashboardFor(env, scope, null);
          out[`${audience} ${name} overview`] = await dashboardFor(env, scope, "overview");
          out[`${audience} ${name} stuck`] = await stuckFor(env, scope, "Stuck");
        }
        out[`${audience} whiteboard`] = await whiteboardModel(
          viewEnv(s.ctx, OPERATOR, "digest", audience),
          "north",
        );
      }
      for (const who of [JANE, SAM, MORGAN, ROBIN]) out[`home ${who}`] = await homeData(s.ctx, s.as(who));
      const client = { id: 1, name: "data-team", scopes: ["dashboards:read" as const], teams: [] };
      out.coverage = await coverageData(s.ctx, client, "2016-02-01", "2016-03-07");
      out.northCoverage = await coverageData(s.ctx, { ...client, teams: ["north"] }, undefined, undefined);
      out.staff = (await s.ctx.records.reads.staff())
        .map((r) => `${r.email} ${r.name} ${r.role} ${r.active}`)
        .sort();
      return out;
    };
    const a = await views(sqlite);
    const b = await views(postgres!);
    expect(b).toEqual(a);
    // What is compared holds something: cases on the boards, a stuck case, a closed case's outcome.
    const agency = a["private agency overview"] as { groups: { rows: unknown[] }[] }[];
    expect(agency[0]!.groups.flatMap((g) => g.rows).length).toBeGreaterThan(3);
    expect((a["private agency stuck"] as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect((a.coverage as { outcomes: { outcome: string }[] }).outcomes.map((o) => o.outcome)).toContain(
      "safe-at-home",
    );
    expect(a.staff).toContainEqual(expect.stringContaining(JANE));
  },
);
