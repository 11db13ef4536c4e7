import {
  type DigestDoc,
  type DigestPart,
  digestParts,
  type Span,
  type StuckEntry,
} from "../../../src/digest/parts.ts";
import { stuckEntryText, tableBlockText } from "../../../src/digest/text.ts";
import type {
  AgencySummaryView,
  DigestView,
  NudgeView,
  TableBlock as TableView,
  TeamDigestView,
} from "../../../src/digest/views.ts";
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

/**
 * The digests as Slack messages (no SDK): a layout of the parts `digestParts` decides, saying
 * nothing of its own. Slack takes one table per message, so a digest is a sequence: the team
 * digest's first message holds the heading lines, the coverage table and the lists that fit; then
 * the lists that did not; then the team dashboard page by page, as the dashboards page everywhere
 * else. The agency summary is one message per table; a nudge, the person's stuck cases with a Log…
 * and a Snooze button each. Every message keeps inside `DIGEST_BUDGET`, which leaves room under
 * Slack's limits for the few blocks a poster or a preview adds.
 */

/** What a digest message may hold: Slack's limits less room for a banner, a note and page buttons. */
export const DIGEST_BUDGET = { blocks: LIMITS.messageBlocks - 4, chars: LIMITS.messageChars - 2000 } as const;

export const NUDGE_LOG_ACTION = "sos_nudge_log";
export const NUDGE_SNOOZE_ACTION = "sos_nudge_snooze";
/** block_id of a nudge's button row for a case: the Snooze answer replaces exactly that row */
export const nudgeBlockId = (caseId: string) => `nudge_${caseId}`;

/** Stuck cases per nudge message: two blocks each (the case, its buttons), well inside 50. */
export const NUDGE_ITEMS_PER_MESSAGE = 20;

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
  return docMessages(digestParts(view));
}

/** A digest's parts as Slack messages, laid out for its kind. */
export function docMessages(doc: DigestDoc): Message[] {
  if (doc.kind === "team") return teamLayout(doc.parts);
  if (doc.kind === "agency") return agencyLayout(doc.parts);
  return nudgeLayout(doc.parts);
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

// ---- parts as blocks ------------------------------------------------------------------------------

function spansMrkdwn(spans: readonly Span[]): string {
  return spans.map((x) => (typeof x === "string" ? escapeMrkdwn(x) : `*${escapeMrkdwn(x.strong)}*`)).join("");
}

/** A stuck case as Slack shows it: the case in bold, then each rule on its own line. */
export function stuckEntryMrkdwn(e: StuckEntry): string {
  const child = e.child === null ? "" : `  ${escapeMrkdwn(e.child)}`;
  const lead = [`*${escapeMrkdwn(e.caseId)}*${child}`, ...e.about.map(escapeMrkdwn)].join("  ·  ");
  return [lead, ...e.findings.map((f) => `•  ${escapeMrkdwn(f)}`)].join("\n");
}

/** The parts that are one line each, as a block and its plain text; null for the others. */
function lineBlock(p: DigestPart): { block: Block; text: string } | null {
  switch (p.kind) {
    case "late":
      return { block: section(`:warning: *${escapeMrkdwn(p.text)}*`), text: p.text };
    case "headline":
      return { block: section(`*${escapeMrkdwn(p.text)}*`), text: p.text };
    case "quiet":
      return { block: section(escapeMrkdwn(p.text)), text: p.text };
    case "warning":
      return { block: section(`:warning: ${escapeMrkdwn(p.text)}`), text: p.text };
    case "none":
      return { block: section(escapeMrkdwn(p.text)), text: p.text };
    case "lead":
      return {
        block: section(spansMrkdwn(p.spans)),
        text: p.spans.map((x) => (typeof x === "string" ? x : x.strong)).join(""),
      };
    case "help":
      return { block: context(spansMrkdwn(p.spans)), text: p.typed };
    default:
      return null;
  }
}

/** A list part (cases, stuck cases) as units to pack. */
function listOf(p: Extract<DigestPart, { kind: "cases" | "stuck" }>): Unit[] {
  if (p.kind === "cases") {
    const entries = p.entries.map((c) => ({ shown: `•  ${escapeMrkdwn(c)}`, plain: `  - ${c}` }));
    return listUnits({ shown: `*${escapeMrkdwn(p.title)}*`, plain: p.title }, entries);
  }
  const mark = p.raised ? ":rotating_light: " : "";
  const entries = p.entries.map((e) => ({ shown: stuckEntryMrkdwn(e), plain: stuckEntryText(e) }));
  return listUnits({ shown: `${mark}*${escapeMrkdwn(p.title)}*`, plain: p.title }, entries, "\n\n");
}

// ---- the team digest -----------------------------------------------------------------------------

function teamLayout(parts: readonly DigestPart[]): Message[] {
  let title = "";
  let window = "";
  const head: Block[] = [];
  const headText: string[] = [];
  const units: Unit[] = [];
  let covMore: Message[] = [];
  let boards: Message[] = [];
  for (const p of parts) {
    if (p.kind === "title") {
      title = p.title;
      window = p.window;
      head.push(header(p.title), context(escapeMrkdwn(p.window)));
      headText.push(`${p.title}, ${p.window}`);
    } else if (p.kind === "table") {
      // The coverage table's first part, under the digest's own heading; the rest after the lists.
      const [cov, ...more] = tableMessages(p.table, { heading: title });
      head.push(...cov!.blocks.slice(1));
      headText.push(cov!.text);
      covMore = more;
    } else if (p.kind === "cases" || p.kind === "stuck") units.push(...listOf(p));
    else if (p.kind === "none") {
      const line = lineBlock(p)!;
      units.push({ blocks: [line.block], text: line.text });
    } else if (p.kind === "dashboards") {
      const pages = dashboardPages(p.views);
      boards = pages.map((_, i) => dashboardMessage(pages, i, undefined, p.intro));
    } else {
      const line = lineBlock(p);
      if (line) {
        head.push(line.block);
        headText.push(line.text);
      }
    }
  }
  const lists = pack({ text: headText.join("\n"), blocks: head }, units, () => [
    header(`${title} (continued)`),
    context(escapeMrkdwn(window)),
  ]);
  return [lists[0]!, ...covMore, ...lists.slice(1), ...boards];
}

export function teamDigestMessages(v: TeamDigestView): Message[] {
  return digestMessages(v);
}

// ---- the agency summary ----------------------------------------------------------------------------

function agencyLayout(parts: readonly DigestPart[]): Message[] {
  let title = "";
  let window = "";
  let late: string | null = null;
  const out: Message[] = [];
  for (const p of parts) {
    if (p.kind === "title") {
      title = p.title;
      window = p.window;
    } else if (p.kind === "late") late = p.text;
    else if (p.kind === "table") {
      const first = out.length === 0;
      // The first table under the summary's heading, the others under their own, saying whose.
      const intro = first
        ? `${escapeMrkdwn(window)}${late ? `  ·  :warning: *${escapeMrkdwn(late)}*` : ""}`
        : `${escapeMrkdwn(title)}  ·  ${escapeMrkdwn(window)}`;
      out.push(
        ...tableMessages(p.table, {
          heading: first ? title : p.table.title,
          intro,
          boldRows: new Set(p.bold),
        }),
      );
    }
  }
  return out;
}

export function agencySummaryMessages(v: AgencySummaryView): Message[] {
  return digestMessages(v);
}

// ---- a worker's nudge ------------------------------------------------------------------------------

export function nudgeButtons(caseId: string, snoozeDays: number): ActionsBlock {
  return {
    type: "actions",
    block_id: nudgeBlockId(caseId),
    elements: [
      button("Log…", NUDGE_LOG_ACTION, caseId, "primary"),
      button(`Snooze ${snoozeDays} days`, NUDGE_SNOOZE_ACTION, snoozeValue(caseId, snoozeDays)),
    ],
  };
}

/** Nudge entries show the case and its rules; the holder is the reader. */
function nudgeLayout(parts: readonly DigestPart[]): Message[] {
  let lead: Span[] = [];
  let stuck: Extract<DigestPart, { kind: "stuck" }> | null = null;
  const extra: { block: Block; text: string }[] = [];
  let help: { block: Block; text: string } | null = null;
  for (const p of parts) {
    if (p.kind === "lead") lead = [...p.spans];
    else if (p.kind === "stuck") stuck = p;
    else if (p.kind === "help") help = lineBlock(p);
    else {
      const line = lineBlock(p);
      if (line) extra.push(line);
    }
  }
  const entries = stuck?.entries ?? [];
  const chunks: StuckEntry[][] = [];
  for (let i = 0; i < entries.length; i += NUDGE_ITEMS_PER_MESSAGE)
    chunks.push(entries.slice(i, i + NUDGE_ITEMS_PER_MESSAGE));
  if (chunks.length === 0) chunks.push([]);
  return chunks.map((items, i) => {
    const part = chunks.length > 1 ? ` (part ${i + 1} of ${chunks.length})` : "";
    const first = lineBlock({ kind: "lead", spans: [...lead, part] })!;
    const blocks: Block[] = [first.block, ...extra.map((x) => x.block)];
    for (const e of items)
      blocks.push(section(stuckEntryMrkdwn(e)), nudgeButtons(e.caseId, stuck?.snoozeDays ?? 0));
    if (help) blocks.push(help.block);
    const listText =
      stuck && items.length > 0
        ? [stuck.title, ...items.flatMap((e) => ["", stuckEntryText(e)])].join("\n")
        : "";
    const text = [first.text, ...extra.map((x) => x.text), listText, help?.text ?? ""]
      .filter(Boolean)
      .join("\n\n");
    return { text: clip(text, LIMITS.fallbackText), blocks };
  });
}

export function nudgeMessages(v: NudgeView): Message[] {
  return digestMessages(v);
}
