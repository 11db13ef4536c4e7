import { NOT_APPLICABLE_NOTE, showsNotApplicable, stuckMarksNote } from "../../../src/render/notes.ts";
import { coverageText, dashboardText } from "../../../src/render/text.ts";
import type { CoverageView, DashboardView, GroupView, RowView } from "../../../src/render/view.ts";
import {
  type Block,
  clip,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  type Message,
  mrkdwn,
  type SectionBlock,
} from "./blockkit.ts";
import { pageButtons, STUCK_MARK } from "./blockkit-tables.ts";

/**
 * Dashboards as messages that read on a phone: each case a section, its id and child as the text
 * and every other column of its dashboard as a field (`*label*` over the value), which Slack lays
 * out two to a row on any screen. Slack's table block has no documented narrow-screen layout and a
 * 14-column table cannot be read at phone width, so a reply to `/sos mine` or `/sos team` comes this
 * way; the App Home keeps the seed's table (`blockkit-tables.ts`), read on a desktop. docs/slack.md
 * says which documented rule decided what.
 *
 * A section holds at most 10 fields, so a case of 11 or more columns takes two sections. Pages are
 * cut between cases: at most `PAGE.blocks` blocks and `PAGE.chars` characters of text a message,
 * well inside Slack's 50 blocks and the ~12,000 characters a message can carry.
 */

export const PAGE = { blocks: 44, chars: 9000 } as const;

/** One dashboard's part of a page: its title, and the groups (or the part of a group) on the page. */
export interface CasesSection {
  readonly view: DashboardView;
}

export interface CasesPage {
  readonly sections: readonly CasesSection[];
}

/**
 * The sections one case takes: the first with the case id and child (left out when something else
 * heads the case: `/sos case`), the fields in tens.
 */
export function caseSections(view: DashboardView, r: RowView, withHeading = true): SectionBlock[] {
  const child = r.cells[0] ?? "";
  const heading = `${r.stuck ? `${STUCK_MARK} ` : ""}*${escapeMrkdwn(r.caseId)}*${child && child !== r.caseId ? `  ${escapeMrkdwn(child)}` : ""}`;
  const at = new Set(r.stuckAt);
  const fields = view.columns.slice(1).map((label, i) => {
    const value = r.cells[i + 1] || " ";
    const mark = at.has(i + 1) ? ` ${STUCK_MARK}` : "";
    return mrkdwn(clip(`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value)}${mark}`, LIMITS.fieldText));
  });
  const out: SectionBlock[] = [];
  for (let i = 0; i < Math.max(1, fields.length); i += LIMITS.fields) {
    const part = fields.slice(i, i + LIMITS.fields);
    const s: SectionBlock =
      i === 0 && withHeading ? { type: "section", text: mrkdwn(heading) } : { type: "section" };
    if (part.length > 0) s.fields = part;
    out.push(s);
  }
  return out;
}

/** `escapeMrkdwn(text).length`, without building the escaped text. */
export function escapedLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 38)
      n += 4; // & → &amp;
    else if (c === 60 || c === 62) n += 3; // < → &lt;, > → &gt;
  }
  return n;
}

const MARK_CHARS = ` ${STUCK_MARK}`.length;

/**
 * What `caseSections(view, r)` takes of a page, counted without building it: its blocks, and the
 * characters of their text and fields. Paging measures every case of a reply (400 of a team's) to
 * show one page of them, and building each case's sections only to count them was most of the
 * main thread's work for `/sos team` under load (bench profile, README "Performance"). `labels` are
 * the escaped lengths of the view's columns after the first (`labelLengths`).
 */
export function caseCost(
  view: DashboardView,
  r: RowView,
  labels: readonly number[],
): { blocks: number; chars: number } {
  const child = r.cells[0] ?? "";
  let chars =
    (r.stuck ? MARK_CHARS : 0) +
    2 +
    escapedLength(r.caseId) +
    (child && child !== r.caseId ? 2 + escapedLength(child) : 0);
  const fields = view.columns.length - 1;
  for (let i = 0; i < fields; i++) {
    const value = r.cells[i + 1] || " ";
    const mark = r.stuckAt.length > 0 && r.stuckAt.includes(i + 1) ? MARK_CHARS : 0;
    // `*label*` newline value [mark], clipped to a field's limit as `clip` does
    chars += Math.min(LIMITS.fieldText, 3 + labels[i]! + escapedLength(value) + mark);
  }
  return { blocks: Math.max(1, Math.ceil(fields / LIMITS.fields)), chars };
}

/** The escaped lengths of a view's columns after the first, for `caseCost`. */
export function labelLengths(view: DashboardView): number[] {
  return view.columns.slice(1).map(escapedLength);
}

/** Blocks a page spends besides its cases: its header line, the notes, the buttons. */
const FRAME_BLOCKS = 3;
/** Per dashboard on a page: its header; per worker's heading: one section. */
const SECTION_BLOCKS = 1;
const GROUP_BLOCKS = 1;

/**
 * Dashboards cut into pages between cases: several dashboards on a page while they fit, each worker's
 * cases under their heading, a worker whose cases go over a page carried on ("… (continued)").
 */
export function casePages(views: readonly DashboardView[]): CasesPage[] {
  const pages: CasesPage[] = [];
  let page: { view: DashboardView; groups: GroupView[] }[] = [];
  let blocks = FRAME_BLOCKS;
  let used = 0;
  const flush = () => {
    if (page.length > 0)
      pages.push({ sections: page.map((s) => ({ view: { ...s.view, groups: s.groups } })) });
    page = [];
    blocks = FRAME_BLOCKS;
    used = 0;
  };
  const fits = (b: number, c: number) => blocks + b <= PAGE.blocks && used + c <= PAGE.chars;
  /** the groups of `view` on the current page, starting a new page first when `b`, `c` would not fit */
  const groupsOf = (view: DashboardView, b: number, c: number): GroupView[] => {
    if (page.length > 0 && !fits(b, c)) flush();
    const last = page[page.length - 1];
    if (last?.view === view) return last.groups;
    page.push({ view, groups: [] });
    blocks += SECTION_BLOCKS;
    return page[page.length - 1]!.groups;
  };
  for (const view of views) {
    const labels = labelLengths(view);
    for (const g of view.groups) {
      if (g.rows.length === 0) {
        groupsOf(view, SECTION_BLOCKS + GROUP_BLOCKS, g.title.length).push(g);
        blocks += GROUP_BLOCKS;
        used += g.title.length;
        continue;
      }
      let rows: RowView[] | null = null;
      let part = 0;
      for (const r of g.rows) {
        const { blocks: b, chars: c } = caseCost(view, r, labels);
        if (rows !== null && fits(b, c)) {
          rows.push(r);
        } else {
          const groups = groupsOf(view, SECTION_BLOCKS + GROUP_BLOCKS + b, c + g.title.length);
          rows = [r];
          groups.push({ ...g, title: part === 0 ? g.title : `${g.title} (continued)`, rows });
          part++;
          blocks += GROUP_BLOCKS;
          used += g.title.length;
        }
        blocks += b;
        used += c;
      }
    }
  }
  flush();
  return pages;
}

function count(n: number): string {
  return n === 0 ? "no open cases" : `${n} open case${n === 1 ? "" : "s"}`;
}

/** Page `index` as one message: each dashboard's title, its workers' cases, the notes, Previous/Next. */
export function casesMessage(
  pages: readonly CasesPage[],
  index: number,
  nav?: { value: (page: number) => string; actionId?: string },
): Message {
  const page = pages[index]!;
  const blocks: Block[] = [];
  const where = pages.length > 1 ? `page ${index + 1} of ${pages.length}` : "";
  let stuck = false;
  let na = false;
  const legends = new Set<string>();
  for (const { view } of page.sections) {
    blocks.push(header(view.title));
    for (const g of view.groups) {
      blocks.push({
        type: "section",
        text: mrkdwn(`*${escapeMrkdwn(g.title)}*${g.rows.length === 0 ? `: ${count(0)}` : ""}`),
      });
      for (const r of g.rows) blocks.push(...caseSections(view, r));
      stuck ||= g.rows.some((r) => r.stuck);
    }
    na ||= showsNotApplicable(view);
    if (view.legend) legends.add(view.legend);
  }
  const notes: string[] = [];
  if (stuck) notes.push(stuckMarksNote(STUCK_MARK, "`/sos stuck`"));
  if (na) notes.push(escapeMrkdwn(NOT_APPLICABLE_NOTE));
  for (const l of legends) notes.push(`*Abuse Type:* ${escapeMrkdwn(l)}`);
  if (where) notes.push(where);
  if (notes.length > 0) blocks.push(context(notes.join("\n")));
  const buttons = nav
    ? pageButtons(index, pages.length, nav.value, (i) => (i < index ? "Previous" : "Next"), nav.actionId)
    : null;
  if (buttons) blocks.push(buttons);
  const text = [...(where ? [`(${where})`] : []), ...page.sections.map((s) => dashboardText(s.view))].join(
    "\n\n",
  );
  return { text: clip(text, LIMITS.fallbackText), blocks };
}

/** Label-over-value fields in sections of at most ten, the first headed by `heading` when given. */
function fieldSections(
  heading: string | null,
  pairs: readonly (readonly [string, string])[],
): SectionBlock[] {
  const fields = pairs.map(([label, value]) =>
    mrkdwn(clip(`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value || " ")}`, LIMITS.fieldText)),
  );
  const out: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    const s: SectionBlock =
      i === 0 && heading !== null ? { type: "section", text: mrkdwn(heading) } : { type: "section" };
    s.fields = fields.slice(i, i + LIMITS.fields);
    out.push(s);
  }
  return out;
}

/**
 * The agency's coverage as a message that reads on a phone: the whole agency first, then each team,
 * each a section of fields (open cases, then each element's share); as many teams as fit one
 * message, the rest counted (the App Home's table and `sos export` have every team).
 */
export function coverageCasesMessage(view: CoverageView): Message {
  const pairs = (r: { openCases: number; cells: readonly string[] }) => [
    [view.columns[1] ?? "Open cases", String(r.openCases)] as const,
    ...r.cells.map((c, i) => [view.columns[i + 2] ?? "", c] as const),
  ];
  const blocks: Block[] = [header(view.title)];
  blocks.push(...fieldSections(`*${escapeMrkdwn(view.total.label)}*`, pairs(view.total)));
  let shown = 0;
  for (const r of view.rows) {
    const more = fieldSections(`*${escapeMrkdwn(r.label)}*`, pairs(r));
    if (blocks.length + more.length + 1 > PAGE.blocks) break;
    blocks.push(...more);
    shown++;
  }
  const notes = [escapeMrkdwn(view.note)];
  if (shown < view.rows.length)
    notes.push(
      `${view.rows.length - shown} more teams are not shown here; the whole agency counts them, and the Home tab's table lists them all.`,
    );
  blocks.push(context(notes.join("\n")));
  return { text: clip(coverageText(view), LIMITS.fallbackText), blocks };
}
