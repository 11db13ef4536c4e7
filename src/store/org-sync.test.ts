import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { syncSummary } from "../app/set-up-report.ts";
import { parseOrg } from "../config/load.ts";
import type { Org } from "../config/org.ts";
import { openStore, type Store } from "./open.ts";
import { changesNothing, needsAcceptance, planSync, readOrgRows, syncOrg } from "./org-sync.ts";

/** An agency of two teams: North with four workers and a supervisor, South with one worker. */
const PEOPLE = [
  ["ann", "Ann North", "worker", "North Team"],
  ["bob", "Bob North", "worker", "North Team"],
  ["cat", "Cat North", "worker", "North Team"],
  ["dan", "Dan North", "worker", "North Team"],
  ["sue", "Sue Super", "supervisor", "North Team"],
  ["sam", "Sam South", "worker", "South Team"],
  ["max", "Max Manager", "manager", null],
  ["ada", "Ada Admin", "admin", null],
] as const;

function org(opts: { drop?: string[]; teams?: string[]; rename?: [string, string]; add?: string } = {}): Org {
  const teams = opts.teams ?? ["North Team", "South Team"];
  const named = (t: string) => (opts.rename && t === opts.rename[0] ? opts.rename[1] : t);
  const staff = PEOPLE.filter(([id]) => !opts.drop?.includes(id)).map(
    ([id, name, role, team]) =>
      `  - { email: ${id}@x.example, name: ${name}, role: ${role}${team ? `, team: ${named(team)}` : ""} }`,
  );
  if (opts.add)
    staff.push(`  - { email: new@x.example, name: ${opts.add}, role: worker, team: ${named(teams[0]!)} }`);
  const yaml = `agency: { name: X, timeZone: Europe/London }
teams:
${teams.map((t) => `  - { id: ${t.split(" ")[0]!.toLowerCase()}, name: ${named(t)} }`).join("\n")}
staff:
${staff.join("\n")}
`;
  return parseOrg(yaml, "x.yaml");
}

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-sync-"));
  store = openStore(join(dir, "sos.db"));
  syncOrg(store, org());
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test.each([
  {
    change: "nothing",
    next: org(),
    accept: false,
    summary: "the database already has the config's teams and staff",
  },
  {
    change: "one of eight leaves",
    next: org({ drop: ["ann"] }),
    accept: false,
    summary: "1 person left the config",
  },
  {
    change: "two of eight leave: a quarter",
    next: org({ drop: ["ann", "bob"] }),
    accept: true,
    summary: "2 people left the config",
  },
  {
    change: "South Team's only worker leaves: a whole team",
    next: org({ drop: ["sam"] }),
    accept: true,
    summary: "1 person left the config",
  },
  {
    change: "someone joins and a team is renamed",
    next: org({ add: "Nia New", rename: ["North Team", "Northern Team"] }),
    accept: false,
    summary: "1 person added, Northern Team renamed (was North Team)",
  },
])("$change: needs accepting $accept; “$summary”", ({ next, accept, summary }) => {
  const plan = planSync(readOrgRows(store), next);
  expect(needsAcceptance(plan)).toBe(accept);
  expect(syncSummary(plan)).toBe(summary);
});

test("a team leaving with its members names the team as emptied; people coming back and changing are told apart", () => {
  const plan = planSync(readOrgRows(store), org({ drop: ["sam"], teams: ["North Team"] }));
  expect(plan.teamsEmptied).toEqual(["South Team"]);
  expect(plan.teamsLeaving).toEqual(["South Team"]);
  expect(syncSummary(plan)).toBe("1 person left the config, South Team left");

  syncOrg(store, org({ drop: ["sam"], teams: ["North Team"] }));
  const back = planSync(readOrgRows(store), org());
  expect(back.peopleBack).toEqual(["Sam South"]);
  expect(back.teamsBack).toEqual(["South Team"]);
  expect(syncSummary(back)).toBe("1 person back, South Team back");
  expect(changesNothing(planSync(readOrgRows(store), org({ drop: ["sam"], teams: ["North Team"] })))).toBe(
    true,
  );
});

test("a refused sync writes nothing: the check runs inside the transaction, before any row changes", () => {
  const before = JSON.stringify(readOrgRows(store));
  expect(() =>
    syncOrg(store, org({ drop: ["ann", "bob"], rename: ["North Team", "Renamed"] }), (plan) => {
      if (needsAcceptance(plan)) throw new Error("refused");
    }),
  ).toThrow("refused");
  expect(JSON.stringify(readOrgRows(store))).toBe(before);
});

test("leavers are kept as inactive rows, never deleted", () => {
  syncOrg(store, org({ drop: ["ann", "bob"] }));
  const rows = readOrgRows(store).staff;
  expect(rows).toHaveLength(PEOPLE.length);
  expect(rows.filter((r) => !r.active).map((r) => r.name)).toEqual(["Ann North", "Bob North"]);
});

test("a sync writes only the rows that change: none when nothing did, one for one person added", () => {
  syncOrg(store, org());
  const changes = () => (store.sqlite.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
  const before = changes();
  syncOrg(store, org());
  expect(changes() - before).toBe(0);
  syncOrg(store, org({ add: "Nia New" }));
  expect(changes() - before).toBe(1);
  expect(readOrgRows(store).staff.find((s) => s.email === "new@x.example")).toMatchObject({
    name: "Nia New",
    active: true,
  });
});
