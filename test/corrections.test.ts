import { afterEach, describe, expect, test } from "vitest";
import { makeInvocation } from "../src/commands/invocation.ts";
import { OPERATOR } from "../src/commands/views.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { teamDigestText } from "../src/digest/text.ts";
import { AH_HIN, JANE, makeTestCtx, ROBIN, SAM, type TestCtx } from "./helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

// The demo plus a second team, so a case can be transferred between teams.
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

// On both stores (`t`); the child-process test reads a SQLite file (`file`).
let t: StoreTestCtx | undefined;
let file: TestCtx | undefined;
afterEach(async () => {
  await t?.close();
  file?.close();
  t = undefined;
  file = undefined;
});

const history = async (who = SAM, caseId = "12345") =>
  (await t!.run(who, `case ${caseId}`)).caseView!.history;

describeEachStore("corrections", (kind) => {
  describe("correcting a case", () => {
    test("a mistyped name is corrected; the history says who and when; a channel never sees the name", async () => {
      t = await makeStoreCtx(kind);
      const channel = await t.run(SAM, `edit 12345 name "Meli Majid"`, { audience: "channel" });
      expect(channel.text).toBe(
        "Corrected the child's name on case 12345. The case's history keeps the old value, with who changed it and when.",
      );
      const priv = await t.run(SAM, `edit 12345 name "Melli Majid"`);
      expect(priv.text).toBe(
        "Corrected the child's name on case 12345: now Melli Majid (was Meli Majid). The case's history keeps the old value, with who changed it and when.",
      );
      expect((await t.ctx.records.reads.case("12345"))!.childName).toBe("Melli Majid");
      const lines = (await history()).map((h) => h.text);
      expect(lines).toContain(
        "Child's name corrected from Melli Majid to Meli Majid by Sam Okafor 01/03/16 12:00 via cli.",
      );
      const inChannel = (await t.run(SAM, "case 12345", { audience: "channel" })).caseView!.history.map(
        (h) => h.text,
      );
      expect(inChannel).toContain("Child's name corrected by Sam Okafor 01/03/16 12:00 via cli.");
      expect(inChannel.join("\n")).not.toContain("Meli");
      // The audit trail names the field, never the value.
      expect(JSON.stringify(await t.ctx.records.reads.caseAudit("12345"))).not.toContain("Meli");
    });

    test("the same value again changes nothing; a date of birth in the future or making an adult is refused", async () => {
      t = await makeStoreCtx(kind);
      expect((await t.run(SAM, "edit 12345 abuse N PA")).text).toBe(
        "The abuse types on case 12345 is already that. Nothing changed.",
      );
      expect((await t.run(SAM, "edit 12345 dob 2017-01-01")).issue?.code).toBe("future_date");
      expect((await t.run(SAM, "edit 12345 dob 1990-01-01")).text).toMatch(
        /^A case is for a child, and at 26 \(born 01\/01\/90\) this is an adult here \(18 and over\)/,
      );
      expect(await t.ctx.records.reads.caseHistory("12345")).toHaveLength(0);
    });

    test("an opening date after practice already recorded is refused, naming the entry", async () => {
      t = await makeStoreCtx(kind);
      const r = await t.run(SAM, "edit 12345 opened 2016-02-20");
      expect(r.issue?.code).toBe("practice_before");
      expect(r.text).toMatch(
        /^Case 12345 has practice recorded on 06\/02\/16 \(entry #\d+\), before 20\/02\/16/,
      );
      expect((await t.run(SAM, "edit 12345 opened 2016-02-01")).ok).toBe(true);
      expect((await t.ctx.records.reads.case("12345"))!.openedOn).toBe("2016-02-01");
    });

    test("a case opened with an age over the agency's adult age is refused in a sentence saying so", async () => {
      t = await makeStoreCtx(kind);
      const r = await t.run(SAM, `open 90001 "Sam Older" 19 cp ${JANE}`);
      expect(r.text).toMatch(
        /^A case is for a child, and at 19 this is an adult here \(18 and over\), so nothing was changed\./,
      );
      expect(await t.ctx.records.reads.case("90001")).toBeUndefined();
    });
  });

  describe("moving a case between services", () => {
    test("step-down keeps the practice under the new dashboard's labels and counts stuck rules from the move", async () => {
      t = await makeStoreCtx(kind);
      const before = (await t.ctx.records.reads.case("12345"))!;
      const r = await t.run(SAM, "move 12345 family-support");
      expect(r.text).toBe(
        "Moved case 12345 from Front end statutory child protection to Statutory family support / preventative on 01/03/16 (today). Its recorded practice is kept; Participatory Conferences/Meetings including Network is not on that dashboard and stays in the case's history. Its stuck rules count from the move.",
      );
      const c = (await t.ctx.records.reads.case("12345"))!;
      expect([c.service, c.serviceSince]).toEqual(["family-support", "2016-03-01"]);
      expect(c.states).toEqual(before.states);
      const row = (await t.run(SAM, "case 12345")).caseView!;
      expect(row.dashboard.title).toBe("Statutory family support / preventative");
      expect(row.dashboard.columns).toContain("Critical Worry");
      expect(row.history.map((h) => h.text)).toContain(
        "Moved from Front end statutory child protection to Statutory family support / preventative by Sam Okafor.",
      );
      // Counted from the move, nothing is stuck yet.
      expect(row.summary.filter((s) => s.label === "Stuck")).toEqual([]);
      expect((await t.run(SAM, "move 12345 fs")).issue?.code).toBe("same_service");
    });
  });

  describe("transfers, closes and reopens", () => {
    test("the case's supervisor transfers it to another team's worker; the case moves team", async () => {
      t = await makeStoreCtx(kind, { config: CONFIG });
      const r = await t.run(SAM, "assign 12345 stu.south@demo-agency.example");
      expect(r.text).toBe(
        "Case 12345 is now allocated to Stu South (it was Jane Smith's). It moves from North Team to South Team.",
      );
      expect((await t.ctx.records.reads.case("12345"))!.teamId).toBe("south");
      // Sam no longer sees it; Sue, South's supervisor, does.
      expect((await t.run(SAM, "case 12345")).issue?.code).toBe("unknown_case");
      expect((await t.run("sue.south@demo-agency.example", "case 12345")).ok).toBe(true);
    });

    test("every close keeps its outcome and note; a reopen does not erase the close before it", async () => {
      t = await makeStoreCtx(kind);
      await t.run(SAM, "close 12345 referred-on -- to the family hub");
      await t.run(SAM, "reopen 12345");
      await t.run(SAM, "close 12345 safe-at-home -- plan holding");
      const lines = (await history()).map((h) => h.text);
      expect(lines).toContain('Closed by Sam Okafor: Referred to another service. Note: "to the family hub"');
      expect(lines).toContain("Reopened by Sam Okafor.");
      expect(lines).toContain(
        'Closed by Sam Okafor: Safety achieved, child living at home. Note: "plan holding"',
      );
      const channel = (await t.run(SAM, "case 12345", { audience: "channel" })).caseView!.history.map(
        (h) => h.text,
      );
      expect(channel.join("\n")).not.toContain("family hub");
      expect((await t.ctx.records.reads.caseHistory("12345")).map((e) => e.kind)).toEqual([
        "closed",
        "reopened",
        "closed",
      ]);
    });
  });

  describe("the audit view", () => {
    test("who did what to a case, in order, with undone entries, corrections, moves and closes", async () => {
      t = await makeStoreCtx(kind);
      const logged = await t.run(JANE, "three-houses 12345 yesterday");
      await t.run(JANE, "undo");
      await t.run(SAM, "edit 12345 abuse N");
      await t.run(SAM, "move 12345 voluntary");
      await t.run(SAM, "close 12345 other");
      const text = (await t.run(SAM, "audit 12345")).text.split("\n");
      expect(text[0]).toBe("Audit trail of case 12345:");
      const tail = text.slice(-5).map((l) => l.replace(/^\S+ \S+ {2}/, ""));
      expect(tail).toEqual([
        `Jane Smith (cli)  case 12345  recorded Three Houses on 29/02/16 (entry #${logged.logged!.entryId})`,
        `Jane Smith (cli)  case 12345  undid entry #${logged.logged!.entryId} (Three Houses)`,
        "Sam Okafor (cli)  case 12345  corrected the abuse types",
        "Sam Okafor (cli)  case 12345  moved the case from Front end statutory child protection to Voluntary preventative on 01/03/16",
        "Sam Okafor (cli)  case 12345  closed the case on 01/03/16: Other",
      ]);
    });
  });
});

describe("sos audit (a child process)", () => {
  test("prints the trail by case, as text and CSV, and refuses a bad date in one sentence", async () => {
    const { spawnSync } = await import("node:child_process");
    const { resolve } = await import("node:path");
    const t = makeTestCtx();
    file = t;
    await t.run(JANE, "three-houses 12345 yesterday");
    await t.run(SAM, "edit 12345 abuse N");
    const SOS = resolve(import.meta.dirname, "../bin/sos.js");
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", SOS_DB: t.dbPath };
    const run = (args: string[]) =>
      spawnSync(process.execPath, [SOS, ...args], { cwd: t.dir, env, encoding: "utf8" });
    const text = run(["audit", "--case", "12345"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Audit trail \(case 12345\):\n/);
    expect(text.stdout).toContain("Sam Okafor (cli)  case 12345  corrected the abuse types");
    const csv = run(["audit", "--case", "12345", "--format", "csv", "--staff", SAM]);
    expect(csv.stdout.split("\r\n")[0]).toBe("\uFEFFWhen,Who,Surface,Case,Action,What");
    expect(csv.stdout).toContain(",Sam Okafor,cli,12345,edit,corrected the abuse types");
    expect(csv.stdout).not.toContain("Jane Smith,");
    const bad = run(["audit", "--since", "2016-02-30"]);
    expect([bad.status, bad.stderr]).toEqual([
      2,
      'sos: --since must be a real date written YYYY-MM-DD, like 2016-03-01 (got "2016-02-30")\n',
    ]);
  });
});

// The digests read the SQLite store (they are not on PostgreSQL yet).
test("both supervisors' next digests list a transfer: in for the new team, out for the old", async () => {
  file = makeTestCtx({ config: CONFIG, demo: true, today: "2016-03-07" });
  const sqlite = file;
  expect((await sqlite.run(SAM, "assign 12345 stu.south@demo-agency.example")).ok).toBe(true);
  const digest = async (team: string, asOf: string) =>
    teamDigestText(
      await teamDigest(makeInvocation(sqlite.ctx, OPERATOR, "digest", "channel"), team, {
        asOf,
        period: "w",
        late: false,
      }),
    );
  const north = await digest("north", "2016-03-07");
  const south = await digest("south", "2016-03-07");
  expect(north).toContain("Transferred out (1)\n  - 12345 M.M. 13 · to South Team · 07/03/16");
  expect(south).toContain("Transferred in (1)\n  - 12345 M.M. 13 · from North Team · 07/03/16");
  expect(north).not.toContain("Transferred in");
  // A week on, it is news no more.
  expect(await digest("south", "2016-03-14")).not.toContain("Transferred");
});
