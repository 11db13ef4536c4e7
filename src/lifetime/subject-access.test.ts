import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JANE, makeTestCtx, ROBIN, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { viewEnv } from "../commands/views.ts";
import { readHoldings } from "./case-holdings.ts";
import { sqliteLifetime } from "./sqlite-lifetime.ts";
import { caseTimeline, type SubjectAccess, subjectAccess } from "./subject-access.ts";
import { subjectAccessHtml } from "./subject-access-html.ts";

let t: TestCtx;
let x: SubjectAccess;
let html: string;

/** A team digest in the ledger, posted for a week and as of a day (as the runner records one). */
function posted(team: string, period: string, at: string) {
  const id = t.ctx.repo.digests.start({
    kind: "team",
    scope: team,
    period,
    platform: "slack",
    status: "posting",
    scheduledFor: at,
    startedAt: at,
  });
  t.ctx.repo.digests.finish(id, { status: "posted", finishedAt: at, attempts: 1 });
}

beforeAll(async () => {
  t = makeTestCtx();
  await t.run(JANE, 'mapped-with-family 12345 -- Melli said <her> dad "shouts"');
  await t.run(JANE, "undo");
  await t.run(JANE, "scale 12345 6 -- better week");
  await t.run(SAM, 'edit 12345 name "Melli Majid-Ross"');
  await t.run(SAM, "close 12345 safe-at-home -- family network in place");
  await t.run(SAM, "reopen 12345");
  await t.run(JANE, "snooze 12345 3");
  const team = t.ctx.repo.cases.get("12345")!.teamId;
  posted(team, "2016-W05", "2016-02-01T08:00:00.000Z"); // before it opened on 03/02/16: not covered
  posted(team, "2016-W06", "2016-02-08T08:00:00.000Z"); // open
  posted("someone-elses", "2016-W06", "2016-02-08T08:00:00.000Z"); // another team: not covered
  const admin = t.as(ROBIN);
  const held = await readHoldings(t.ctx, sqliteLifetime(t.ctx.store), t.ctx.repo.cases.get("12345")!);
  x = subjectAccess(viewEnv(t.ctx, admin, "cli", "private"), held, {
    name: admin.name,
    email: admin.email,
  });
  html = subjectAccessHtml(x, { day: (d) => `day ${d}`, instant: (i) => `at ${i}` });
});
afterAll(() => t.close());

describe("everything held about one child", () => {
  test("the case's details as they are now, with the corrected name", () => {
    expect(x.format).toBe("sos-subject-access/1");
    expect(x.case).toMatchObject({
      id: "12345",
      childName: "Melli Majid-Ross",
      openedOn: "2016-02-03",
      status: "open",
      worker: { name: "Jane Smith", email: JANE },
      abuseTypes: [
        { code: "N", label: "Neglect" },
        { code: "PA", label: "Physical Abuse" },
      ],
    });
    expect(x.exportedBy).toEqual({ name: "Robin Ellis", email: ROBIN });
  });

  test("every entry, the undone one too with its note and who undid it", () => {
    const family = x.entries.find((e) => e.element === "mapping-with-family" && e.note !== null)!;
    expect(family.note).toBe('Melli said <her> dad "shouts"');
    expect(family.undone).toMatchObject({ by: { name: "Jane Smith" } });
    expect(x.entries.find((e) => e.note === "better week")).toMatchObject({ value: 6, undone: null });
    // The demo's paper records are there too, marked as imported.
    expect(x.entries.filter((e) => e.surface === "import").length).toBeGreaterThan(5);
  });

  test("corrections, closes and reopens with their values and notes; allocations; snoozes", () => {
    expect(x.history.map((h) => h.what)).toEqual([
      "corrected the child's name from Melli Majid to Melli Majid-Ross",
      "closed: Safety achieved, child living at home; note: family network in place",
      "reopened",
    ]);
    expect(x.allocations).toHaveLength(1);
    expect(x.allocations[0]).toMatchObject({ from: "2016-02-03", worker: { name: "Jane Smith" } });
    expect(x.snoozes).toHaveLength(1);
  });

  test("the audit lines about the case", () => {
    expect(x.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["log", "undo", "edit", "close", "reopen", "snooze"]),
    );
  });

  test("the team digests posted while it was open in its team, and how exact that is", () => {
    expect(x.digests.team.map((d) => [d.week, d.as])).toEqual([["2016-W06", "open"]]);
    expect(x.digests.exactness).toContain("not which cases each one listed");
  });

  test("the page is self-contained, escapes what was recorded, and prints", () => {
    expect(html).toContain("<!doctype html>");
    expect(html).toContain("Melli said &lt;her&gt; dad &quot;shouts&quot;");
    expect(html).not.toContain("<her>");
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain("@media print");
    expect(html).toContain("undone by Jane Smith");
  });
});

describe("caseTimeline: which digests covered a case", () => {
  const timeline = caseTimeline(
    { openedOn: "2016-02-03" },
    [
      { kind: "closed", on: "2016-03-02" },
      { kind: "reopened", on: "2016-03-20" },
    ],
    [
      { fromOn: "2016-02-03", teamId: "north" },
      { fromOn: "2016-02-20", teamId: "south" },
    ],
  );
  test.each([
    ["north", "2016-02-01", null],
    ["north", "2016-02-08", "open"],
    ["north", "2016-02-22", null],
    ["south", "2016-02-22", "open"],
    // Closed on Wednesday 2 March: Sunday's digest lists it as closed that week; the next week's does not.
    ["south", "2016-03-06", "closed that week"],
    ["south", "2016-03-14", null],
    ["south", "2016-03-21", "open"],
  ])("%s on %s: %s", (team, day, as) => {
    expect(timeline.coveredBy(team, day)).toBe(as);
  });
});
