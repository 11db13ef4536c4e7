import { afterAll, beforeAll, expect, test } from "vitest";
import { LIMITS } from "../../adapters/slack/render/blockkit.ts";
import { SERVICE_SLUGS } from "../../src/domain/dashboards.ts";
import type { ElementKey } from "../../src/domain/elements.ts";
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
 * An agency-sized team: one team of 12 workers holding 400 open cases with practice recorded, and
 * 39 more teams for the agency picture. Every message and view the app produces for it must keep
 * to Slack's limits, and paging must show every case exactly once.
 */

const WORKERS = 12;
const CASES = 400;
const OTHER_TEAMS = 39;

function config(): string {
  const lines = [
    "agency: { name: Large County Children's Services, timeZone: Europe/London }",
    "dates: { order: dmy, format: dd/MM/yy }",
    "teams:",
    "  - { id: big, name: Northern Assessment and Family Safeguarding Team }",
  ];
  for (let i = 1; i <= OTHER_TEAMS; i++) lines.push(`  - { id: t${i}, name: Locality Team ${i} }`);
  lines.push("staff:");
  lines.push(
    "  - { email: sue@county.example, name: Susannah Featherstonehaugh, role: supervisor, team: big, slackId: USUP }",
  );
  for (let w = 1; w <= WORKERS; w++)
    lines.push(
      `  - { email: w${w}@county.example, name: Worker Number${w} Longname-Smith, role: worker, team: big, slackId: UW${w} }`,
    );
  for (let i = 1; i <= OTHER_TEAMS; i++)
    lines.push(`  - { email: o${i}@county.example, name: Other Worker ${i}, role: worker, team: t${i} }`);
  lines.push("  - { email: mgr@county.example, name: Morgan Manager, role: manager, slackId: UMGR }");
  lines.push("  - { email: admin@county.example, name: Ada Admin, role: admin, slackId: UADM }");
  return lines.join("\n");
}

const FIRST = ["Alexandria", "Mohammed", "Tui", "Oluwaseun", "Mary", "Jean-Baptiste", "Ana"];
const LAST = ["Montgomery-Smith", "Nguyen", "Okonkwo-Adeyemi", "Telis", "Featherstonehaugh", "Lima"];

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlack({ config: config(), demo: false });
  const { repo, people } = h.t.ctx;
  const at = "2016-03-01T09:00:00.000Z";
  const sup = people.byEmail("sue@county.example")!.staffId;
  repo.transaction(() => {
    const add = (id: string, workerId: number, teamId: string, i: number) => {
      const openedOn = `2015-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 27)).padStart(2, "0")}`;
      repo.cases.insert(
        {
          id,
          childName: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`,
          dob: null,
          ageAtOpening: i % 17,
          openedOn,
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
      log("mapping-internal", "2016-01-04");
      if (i % 2 === 0) log("mapping-internal", "2016-02-04");
      if (i % 3 !== 0) log("three-houses", "2016-01-20");
      if (i % 4 !== 0) log("safety-scale", "2016-02-10", i % 11);
      if (i % 5 !== 0) log("network", "2016-02-12", 3 + (i % 9));
    };
    for (let i = 0; i < CASES; i++) {
      const worker = people.byEmail(`w${1 + (i % WORKERS)}@county.example`)!.staffId;
      add(`NA${String(100000 + i)}`, worker, "big", i);
    }
    for (let t = 1; t <= OTHER_TEAMS; t++)
      for (let i = 0; i < 5; i++)
        add(`L${t}-${i}`, people.byEmail(`o${t}@county.example`)!.staffId, `t${t}`, t + i);
  });
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
  expect(seen).toHaveLength(CASES);
  expect(new Set(seen).size).toBe(CASES);
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
  expect(tableRows(viewOf(home).blocks)).toHaveLength(OTHER_TEAMS + 3);
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
  expect(tableRows(viewOf(home).blocks).length - 1).toBe(Math.ceil(CASES / WORKERS));
});

test("nothing the app sent for the agency broke a limit", () => {
  expect(limitProblems(h.rec.calls)).toEqual([]);
  for (const s of Object.values(largest)) {
    expect(s.rows).toBeLessThanOrEqual(LIMITS.tableRows);
    expect(s.cells).toBeLessThanOrEqual(LIMITS.tableCells);
    expect(s.tableChars).toBeLessThanOrEqual(LIMITS.tableChars);
  }
});
