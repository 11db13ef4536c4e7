import { afterAll, beforeAll, expect, test } from "vitest";
import { LIMITS } from "../../adapters/slack/render/blockkit.ts";
import { BIG, bigAgencyConfig, seedBigAgency } from "../helpers/big-agency.ts";
import {
  buttonPress,
  dashboardCases,
  findButton,
  limitProblems,
  type SlackHarness,
  shownText,
  startSlack,
  tableRows,
  viewOf,
} from "./harness.ts";
import type { RecordedCall } from "./recorder.ts";

/**
 * An agency-sized team (test/helpers/big-agency.ts): one team of 12 workers holding 400 open cases
 * with practice recorded, and 39 more teams for the agency picture. Every message and view the app
 * produces for it must keep to Slack's limits, and paging must show every case exactly once.
 */

let h: SlackHarness;
/** The open cases a team or a worker holds, as the seed left them (a few new, one closed). */
let openCases: (where: { team: string } | { worker: string }) => number;
beforeAll(async () => {
  h = await startSlack({ config: bigAgencyConfig(), demo: false });
  seedBigAgency(h.t.ctx);
  const { store, people } = h.t.ctx;
  openCases = (where) =>
    "team" in where
      ? (
          store.sqlite
            .prepare("SELECT count(*) AS n FROM cases WHERE status = 'open' AND team_id = ?")
            .get(where.team) as { n: number }
        ).n
      : (
          store.sqlite
            .prepare("SELECT count(*) AS n FROM cases WHERE status = 'open' AND worker_id = ?")
            .get(people.byEmail(where.worker)!.staffId) as { n: number }
        ).n;
});
afterAll(() => h.close());

/** What a message or view holds, against Slack's limits. */
function sizes(call: RecordedCall) {
  const src = call.method.startsWith("views.") ? (call.body.view as { blocks: unknown[] }) : call.body;
  const blocks = (src.blocks ?? []) as { type: string; rows?: unknown[][] }[];
  const table = blocks.find((b) => b.type === "table");
  return {
    blocks: blocks.length,
    rows: table?.rows?.length ?? 0,
    cells: Math.max(0, ...(table?.rows ?? []).map((r) => r.length)),
    tableChars: (table?.rows ?? []).flat().reduce((n: number, c) => n + shownText(c).length, 0),
    textChars: shownText(blocks).length,
  };
}

const largest: Record<string, ReturnType<typeof sizes>> = {};
function note(kind: string, call: RecordedCall) {
  const s = sizes(call);
  const prev = largest[kind];
  if (!prev || s.tableChars + s.textChars > prev.tableChars + prev.textChars) largest[kind] = s;
}

afterAll(() => {
  // The measured sizes, for the record (see the final report).
  process.stdout.write(`agency-size: largest outputs ${JSON.stringify(largest)}\n`);
});

test("a supervisor's /sos team over 400 cases: paged, every page within limits, every case once", async () => {
  const first = await h.command("USUP", "team");
  const seen: string[] = [];
  let call = first.reply!;
  let pages = 0;
  for (;;) {
    pages++;
    expect(limitProblems([call])).toEqual([]);
    note("message", call);
    for (const c of dashboardCases(call.body.blocks)) seen.push(c.caseId);
    const next = findButton(call.body.blocks, "sos_page_next");
    if (!next) break;
    const id = `team-page-${pages}`;
    const res = await h.interact(buttonPress("USUP", h.rec.responseUrl(id), next));
    await res.done;
    call = h.replyTo(id)!;
    expect(call.body.replace_original).toBe(true);
  }
  expect(pages).toBeGreaterThan(3);
  const cases = openCases({ team: "big" });
  expect(cases).toBeGreaterThanOrEqual(BIG.cases);
  expect(seen).toHaveLength(cases);
  expect(new Set(seen).size).toBe(cases);
});

test("the supervisor's App Home pages through the team's overview within the limits", async () => {
  const open = await h.event({
    type: "app_home_opened",
    user: "USUP",
    channel: "D1",
    tab: "home",
    event_ts: "1",
  });
  await open.done;
  const home = h.rec
    .of("views.publish")
    .filter((c) => c.body.user_id === "USUP")
    .at(-1)!;
  expect(limitProblems([home])).toEqual([]);
  note("home", home);
  const view = viewOf(home);
  expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
  const next = findButton(view.blocks, /^sos_home_page_next$/)!;
  expect(next).toBeDefined();
  const press = await h.interact(buttonPress("USUP", h.rec.responseUrl("home-next"), next));
  await press.done;
  const second = h.rec
    .of("views.publish")
    .filter((c) => c.body.user_id === "USUP")
    .at(-1)!;
  expect(second).not.toBe(home);
  expect(limitProblems([second])).toEqual([]);
  expect(tableRows(viewOf(second).blocks)[1]).not.toEqual(tableRows(view.blocks)[1]);
});

test("a manager's Home and /sos agency over 40 teams stay within the limits", async () => {
  const open = await h.event({
    type: "app_home_opened",
    user: "UMGR",
    channel: "D1",
    tab: "home",
    event_ts: "1",
  });
  await open.done;
  const home = h.rec
    .of("views.publish")
    .filter((c) => c.body.user_id === "UMGR")
    .at(-1)!;
  expect(limitProblems([home])).toEqual([]);
  note("home", home);
  expect(tableRows(viewOf(home).blocks)).toHaveLength(BIG.otherTeams + 3);
  const agency = await h.command("UMGR", "agency");
  expect(limitProblems([agency.reply!])).toEqual([]);
  note("message", agency.reply!);
});

test("stuck lists and a worker's own Home stay within the limits", async () => {
  const stuck = await h.command("USUP", "stuck");
  expect(limitProblems([stuck.reply!])).toEqual([]);
  note("message", stuck.reply!);
  expect(findButton(stuck.reply?.body.blocks, "sos_page_next")).toBeDefined();
  const open = await h.event({
    type: "app_home_opened",
    user: "UW1",
    channel: "D1",
    tab: "home",
    event_ts: "1",
  });
  await open.done;
  const home = h.rec
    .of("views.publish")
    .filter((c) => c.body.user_id === "UW1")
    .at(-1)!;
  expect(limitProblems([home])).toEqual([]);
  expect(tableRows(viewOf(home).blocks).length - 1).toBe(openCases({ worker: BIG.worker(1) }));
});

test("nothing the app sent for the agency broke a limit", () => {
  expect(limitProblems(h.rec.calls)).toEqual([]);
  for (const s of Object.values(largest)) {
    expect(s.rows).toBeLessThanOrEqual(LIMITS.tableRows);
    expect(s.cells).toBeLessThanOrEqual(LIMITS.tableCells);
    expect(s.tableChars).toBeLessThanOrEqual(LIMITS.tableChars);
  }
});
