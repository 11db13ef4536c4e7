import { tableBlockText } from "../../../src/digest/text.ts";
import type {
  AgencySummaryView,
  DigestView,
  NudgeView,
  TableBlock as TableView,
  TeamDigestView,
} from "../../../src/digest/views.ts";
import { coverageTable } from "../../../src/digest/views.ts";
import { stuckText } from "../../../src/render/text.ts";
import type { StuckItem } from "../../../src/render/view.ts";
import {
  type ActionsBlock,
  type Block,
  blockChars,
  button,
  clip,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  type Message,
  messageChars,
  mrkdwn,
} from "./blockkit.ts";
import { dashboardMessage, dashboardPages, PAGE_BUDGET, type PageBudget, table } from "./blockkit-tables.ts";
import { stuckItemText } from "./blockkit-views.ts";

/**
 * The digests as Slack messages (no SDK). Slack takes one table per message, so a digest is a
 * sequence: the team digest's first message holds the headline, the coverage table and the lists
 * that fit; then the lists that did not; then the team dashboard page by page, as the dashboards
 * page everywhere else. The agency summary is one message per table; a nudge, the person's stuck
 * cases with a Log… and a Snooze button each. Every message keeps inside `DIGEST_BUDGET`, which
 * leaves room under Slack's limits for the few blocks a poster or a preview adds.
 */

/** What a digest message may hold: Slack's limits less room for a banner, a note and page buttons. */
export const DIGEST_BUDGET = { blocks: LIMITS.messageBlocks - 4, chars: LIMITS.messageChars - 2000 } as const;

export const NUDGE_LOG_ACTION = "sos_nudge_log";
export const NUDGE_SNOOZE_ACTION = "sos_nudge_snooze";
/** block_id of a nudge's button row for a case: the Snooze answer replaces exactly that row */
export const nudgeBlockId = (caseId: string) => `nudge_${caseId}`;

/** Stuck cases per nudge message: two blocks each (the case, its buttons), well inside 50. */
export const NUDGE_ITEMS_PER_MESSAGE = 20;

export const LATE_LINE = "Posted late: the app was not running at the scheduled time.";

export function snoozeValue(caseId: string, days: number): string {
  return JSON.stringify({ c: caseId, d: days });
}

export function readSnoozeValue(value: string | undefined): { caseId: string; days: number } | null {
  try {
    const v: unknown = JSON.parse(value ?? "");
    if (typeof v !== "object" || v === null) return null;
    const { c, d } = v as { c?: unknown; d?: unknown };
    if (typeof c !== "string" || c === "" || typeof d !== "number" || !Number.isInteger(d) || d < 1)
      return null;
    return { caseId: c, days: d };
  } catch {
    return null;
  }
}

export function digestMessages(view: DigestView): Message[] {
  if (view.kind === "team") return teamDigestMessages(view);
  if (view.kind === "agency") return agencySummaryMessages(view);
  return nudgeMessages(view);
}

// ---- tables ----------------------------------------------------------------------------------

const width = (cells: readonly string[]) => cells.reduce((n, c) => n + Math.max(1, c.length), 0);

/**
 * A table view cut into tables Slack takes: at most 20 columns (wider tables repeat the first
 * column beside each further 19) and, per table, the rows and characters of `budget`, the header
 * row repeated on each. `bold` marks rows (a total) by their index in `t.rows`.
 */
export function tablePages(
  t: TableView,
  budget: PageBudget = PAGE_BUDGET,
): { columns: string[]; rows: string[][]; first: number }[] {
  const colGroups: number[][] = [];
  const all = t.columns.map((_, i) => i);
  if (all.length <= LIMITS.tableCells) colGroups.push(all);
  else
    for (let i = 1; i < all.length; i += LIMITS.tableCells - 1)
      colGroups.push([0, ...all.slice(i, i + LIMITS.tableCells - 1)]);
  const pages: { columns: string[]; rows: string[][]; first: number }[] = [];
  for (const cols of colGroups) {
    const pick = (r: readonly string[]) => cols.map((i) => r[i] ?? "");
    const columns = pick(t.columns);
    let rows: string[][] = [];
    let first = 0;
    let chars = width(columns);
    t.rows.forEach((r, i) => {
      const row = pick(r);
      if (rows.length > 0 && (rows.length + 1 > budget.rows || chars + width(row) > budget.chars)) {
        pages.push({ columns, rows, first });
        rows = [];
        first = i;
        chars = width(columns);
      }
      rows.push(row);
      chars += width(row);
    });
    pages.push({ columns, rows, first });
  }
  return pages;
}

/**
 * A table view as messages, one table each: a heading, the table, its note on the last part, and
 * "part i of n" when it takes more than one. Rows listed in `boldRows` (by index) are bold.
 */
export function tableMessages(
  t: TableView,
  opts: { heading: string; intro?: string; boldRows?: ReadonlySet<number> } = { heading: t.title },
): Message[] {
  const pages = tablePages(t);
  return pages.map((p, i) => {
    const part = pages.length > 1 ? ` (part ${i + 1} of ${pages.length})` : "";
    const blocks: Block[] = [header(i === 0 ? opts.heading : `${opts.heading} (continued)`)];
    if (opts.intro) blocks.push(context(opts.intro));
    if (opts.heading !== t.title) blocks.push(section(`*${escapeMrkdwn(t.title)}*${part}`));
    else if (part) blocks.push(context(part.trim().replace(/^\(|\)$/g, "")));
    if (p.rows.length === 0) blocks.push(section("None."));
    else {
      const bold = new Set<number>([0]);
      p.rows.forEach((_, j) => {
        if (opts.boldRows?.has(p.first + j)) bold.add(j + 1);
      });
      blocks.push(table([p.columns, ...p.rows], bold));
    }
    if (t.note && i === pages.length - 1) blocks.push(context(escapeMrkdwn(t.note)));
    const text = tableBlockText({ ...t, columns: p.columns, rows: p.rows, title: `${t.title}${part}` });
    return { text: clip(text, LIMITS.fallbackText), blocks };
  });
}

function section(text: string): Block {
  return { type: "section", text: mrkdwn(clip(text, LIMITS.sectionText)) };
}

// ---- packing lists into messages ---------------------------------------------------------------

/** Blocks that belong together (a heading and the start of its list), with their plain text. */
interface Unit {
  readonly blocks: readonly Block[];
  readonly text: string;
}

/** One entry of a list: as Slack shows it (mrkdwn) and as plain text for the fallback. */
interface Entry {
  readonly shown: string;
  readonly plain: string;
}

/**
 * A heading and a list as units of one section each (entries joined while they fit 3000
 * characters); the heading stays with the first, and each unit carries its own plain text.
 */
function listUnits(heading: { shown: string; plain: string }, entries: readonly Entry[], gap = "\n"): Unit[] {
  const units: Unit[] = [];
  let shown: string[] = [];
  let plain: string[] = [];
  let size = 0;
  const flush = () => {
    if (shown.length === 0) return;
    const first = units.length === 0;
    units.push({
      blocks: [...(first ? [section(heading.shown)] : []), section(shown.join(gap))],
      text: [...(first ? [heading.plain] : []), ...plain].join("\n"),
    });
    shown = [];
    plain = [];
    size = 0;
  };
  for (const e of entries) {
    const line = clip(e.shown, LIMITS.sectionText);
    if (size > 0 && size + gap.length + line.length > LIMITS.sectionText) flush();
    shown.push(line);
    plain.push(e.plain);
    size += (size > 0 ? gap.length : 0) + line.length;
  }
  flush();
  if (units.length === 0) units.push({ blocks: [section(heading.shown)], text: heading.plain });
  return units;
}

/**
 * Fills messages with units in order: the first message starts with `first`, each later one with
 * `more()` (a heading saying it continues); a message is closed when the next unit would break the
 * budget.
 */
function pack(first: Message, units: readonly Unit[], more: () => Block[]): Message[] {
  const out: Message[] = [];
  let blocks = [...first.blocks];
  let text = [first.text];
  const flush = () => {
    out.push({ text: clip(text.filter(Boolean).join("\n\n"), LIMITS.fallbackText), blocks });
  };
  for (const u of units) {
    const chars = u.blocks.reduce((n, b) => n + blockChars(b), 0);
    const fits =
      blocks.length + u.blocks.length <= DIGEST_BUDGET.blocks &&
      messageChars(blocks) + chars <= DIGEST_BUDGET.chars;
    // A unit is at most a heading and one section, so it always fits a message of its own.
    if (!fits) {
      flush();
      blocks = more();
      text = [];
    }
    blocks.push(...u.blocks);
    text.push(u.text);
  }
  flush();
  return out;
}

// ---- the team digest -----------------------------------------------------------------------------

function quietLine(v: TeamDigestView): string {
  return `Nothing changed this week: no practice logged, no new and no closed cases. ${v.headline}.`;
}

/** A stuck item as plain text, as the text renderer writes it. */
function stuckItemPlain(item: StuckItem): string {
  return stuckText({ title: "", items: [item] })
    .split("\n")
    .slice(2)
    .join("\n");
}

export function teamDigestMessages(v: TeamDigestView): Message[] {
  const late = v.late ? ` _(${LATE_LINE})_` : "";
  if (v.quiet) {
    // One line, as the config asks for a quiet week.
    const line = `*${escapeMrkdwn(v.title)}*, ${escapeMrkdwn(v.window)}: ${escapeMrkdwn(quietLine(v))}${late}`;
    const text = `${v.title}, ${v.window}: ${quietLine(v)}${v.late ? ` (${LATE_LINE})` : ""}`;
    return [{ text, blocks: [section(line)] }];
  }

  const coverage = tableMessages(v.coverage, { heading: v.title });
  const head: Block[] = [header(v.title), context(escapeMrkdwn(v.window))];
  if (v.late) head.push(section(`:warning: *${LATE_LINE}*`));
  head.push(section(`*${escapeMrkdwn(v.headline)}*`));
  // The coverage table's first part, under the digest's own heading.
  const [cov, ...covMore] = coverage;
  const summary: Message = {
    text: [`${v.title}, ${v.window}`, ...(v.late ? [LATE_LINE] : []), v.headline, cov!.text].join("\n"),
    blocks: [...head, ...cov!.blocks.slice(1)],
  };

  const units: Unit[] = [];
  const caseList = (title: string, list: readonly string[]) => {
    if (list.length === 0) return;
    const heading = `${title} (${list.length})`;
    const entries = list.map((c) => ({ shown: `•  ${escapeMrkdwn(c)}`, plain: `  - ${c}` }));
    units.push(...listUnits({ shown: `*${heading}*`, plain: heading }, entries));
  };
  const stuckList = (title: string, items: readonly StuckItem[], mark = "") => {
    const heading = `${title} (${items.length})`;
    const entries = items.map((i) => ({ shown: stuckItemText(i), plain: stuckItemPlain(i) }));
    units.push(...listUnits({ shown: `${mark}*${heading}*`, plain: heading }, entries, "\n\n"));
  };
  caseList("New cases", v.newCases);
  caseList("Closed cases", v.closedCases);
  // Raised cases are stuck cases too: listed once, under the heading that says more.
  const raised = new Set(v.raised.map((i) => i.caseId));
  const others = v.stuck.filter((i) => !raised.has(i.caseId));
  if (v.raised.length > 0)
    stuckList("Raised to the supervisor: stuck a long time", v.raised, ":rotating_light: ");
  if (v.stuck.length === 0)
    units.push({ blocks: [section("*Stuck cases:* none.")], text: "Stuck cases: none." });
  else if (others.length > 0) stuckList(v.raised.length > 0 ? "Other stuck cases" : "Stuck cases", others);

  const lists = pack(summary, units, () => [
    header(`${v.title} (continued)`),
    context(escapeMrkdwn(v.window)),
  ]);
  const pages = dashboardPages(v.dashboards);
  const boards = pages.map((_, i) => dashboardMessage(pages, i, undefined, `${v.team} · ${v.window}`));
  return [lists[0]!, ...covMore, ...lists.slice(1), ...boards];
}

// ---- the agency summary ----------------------------------------------------------------------------

export function agencySummaryMessages(v: AgencySummaryView): Message[] {
  const intro = `${escapeMrkdwn(v.window)}${v.late ? `  ·  :warning: *${LATE_LINE}*` : ""}`;
  const c = v.coverage;
  const coverage = coverageTable(c);
  const along = `${escapeMrkdwn(v.title)}  ·  ${escapeMrkdwn(v.window)}`;
  const last = (t: TableView) => new Set([t.rows.length - 1]);
  return [
    ...tableMessages(coverage, { heading: v.title, intro, boldRows: last(coverage) }),
    ...tableMessages(v.trend, { heading: v.trend.title, intro: along }),
    ...tableMessages(v.stuckCounts, {
      heading: v.stuckCounts.title,
      intro: along,
      boldRows: last(v.stuckCounts),
    }),
    ...tableMessages(v.outcomes, { heading: v.outcomes.title, intro: along }),
  ];
}

// ---- a worker's nudge ------------------------------------------------------------------------------

function nudgeItemText(item: StuckItem): string {
  const child = item.child === item.caseId ? "" : `  ${escapeMrkdwn(item.child)}`;
  const lines = [`*${escapeMrkdwn(item.caseId)}*${child}  ·  ${escapeMrkdwn(item.dashboard)}`];
  for (const f of item.findings) {
    const since = f.days === 0 ? "since today" : `${f.days} day${f.days === 1 ? "" : "s"} (since ${f.since})`;
    lines.push(`•  ${escapeMrkdwn(f.reason)}: stuck ${since}`);
  }
  return lines.join("\n");
}

export function nudgeButtons(item: StuckItem, snoozeDays: number): ActionsBlock {
  return {
    type: "actions",
    block_id: nudgeBlockId(item.caseId),
    elements: [
      button("Log…", NUDGE_LOG_ACTION, item.caseId, "primary"),
      button(`Snooze ${snoozeDays} days`, NUDGE_SNOOZE_ACTION, snoozeValue(item.caseId, snoozeDays)),
    ],
  };
}

export function nudgeMessages(v: NudgeView): Message[] {
  const chunks: StuckItem[][] = [];
  for (let i = 0; i < v.items.length; i += NUDGE_ITEMS_PER_MESSAGE)
    chunks.push(v.items.slice(i, i + NUDGE_ITEMS_PER_MESSAGE));
  if (chunks.length === 0) chunks.push([]);
  const help = `*Log…* opens the form on that case. *Snooze ${v.snoozeDays} days* leaves the case out of these reminders for ${v.snoozeDays} days; it still shows as stuck on the dashboards.`;
  return chunks.map((items, i) => {
    const part = chunks.length > 1 ? ` (part ${i + 1} of ${chunks.length})` : "";
    const blocks: Block[] = [section(`*${escapeMrkdwn(v.worker)}*: ${escapeMrkdwn(v.title)}.${part}`)];
    if (items.length === 0) blocks.push(section("None of your cases is stuck."));
    for (const item of items) blocks.push(section(nudgeItemText(item)), nudgeButtons(item, v.snoozeDays));
    blocks.push(context(help));
    const text = [
      `${v.worker}: ${v.title}.${part}`,
      stuckText({ title: "Your stuck cases", items }),
      `Type /sos snooze <case-id> to leave a case out of these reminders for ${v.snoozeDays} days.`,
    ].join("\n\n");
    return { text: clip(text, LIMITS.fallbackText), blocks };
  });
}
