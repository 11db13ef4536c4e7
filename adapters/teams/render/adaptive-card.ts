import {
  NOT_APPLICABLE_NOTE,
  showsNotApplicable,
  stuckMarksNote,
  stuckNote,
} from "../../../src/render/notes.ts";
import type { CaseView, CoverageView, DashboardView, RowView, StuckView } from "../../../src/render/view.ts";
import {
  type AdaptiveCard,
  action,
  type CardElement,
  type Container,
  card,
  type ExecuteAction,
  lines,
  table,
  tableOrRecords,
  teamsMarkdown,
  text,
  VERB,
} from "./adaptive-card-kit.ts";
import { fittingWeights } from "./card-width.ts";

/**
 * Replies as Adaptive Cards for Microsoft Teams (DESIGN §3): confirmations with Undo, dashboards as
 * the seed's tables, a case with its history. Pure: view models and text in, card JSON out.
 */

/** The parts of a command's reply a card draws (a `Reply` fits). */
export interface CardReply {
  readonly ok: boolean;
  readonly text: string;
  readonly repeated?: boolean;
  readonly logged?: { readonly entryId: number; readonly caseId: string };
  readonly undone?: { readonly entryId: number };
  readonly dashboards?: readonly DashboardView[];
  readonly coverage?: CoverageView;
  readonly stuck?: StuckView;
  readonly caseView?: CaseView;
}

export interface ReplyCardOptions {
  /** unique to this card, carried by its buttons: a double click repeats it, a new card does not */
  readonly nonce: string;
  /** the command that made the reply, so a page button can ask for the next page of it */
  readonly command?: string;
  /** dashboards: which page to show, from 1 */
  readonly page?: number;
  /** add a "Log practice" button that opens the logging form (for people who record practice) */
  readonly logButton?: boolean;
}

const REPEATED = "This was already done when the same request came in before: nothing new was recorded.";

export function replyCard(reply: CardReply, opts: ReplyCardOptions): AdaptiveCard {
  if (reply.dashboards && reply.dashboards.length > 0) return dashboardCard(reply, opts);
  if (reply.caseView) return caseCard(reply.caseView, reply.text, opts);
  if (reply.stuck) return stuckCard(reply.stuck, reply.text);
  if (reply.coverage) return coverageCard(reply.coverage, reply.text);
  return messageCard(reply, opts);
}

/** Any reply as its text: a confirmation (green, with Undo), a refusal (red), or plain. */
export function messageCard(reply: CardReply, opts: { nonce: string; logButton?: boolean }): AdaptiveCard {
  const tone = reply.logged || reply.undone ? "Good" : reply.ok ? undefined : "Attention";
  const body: CardElement[] = lines(reply.text, tone ? { weight: "Bolder", color: tone } : {});
  if (reply.repeated) body.push(text(REPEATED, { color: "Warning", spacing: "Medium" }));
  const actions: ExecuteAction[] = [];
  if (reply.logged) {
    actions.push(action("Undo", VERB.undo, { entryId: reply.logged.entryId, nonce: opts.nonce }));
    actions.push(action("Log another", VERB.form, { nonce: opts.nonce }));
  } else if (opts.logButton) actions.push(logAction(opts.nonce));
  return card(body, reply.text, { actions });
}

/** A message of the app's own (a welcome, a refusal, a failure): text only, no buttons. */
export function noticeCard(text: string, tone: "plain" | "problem" = "plain"): AdaptiveCard {
  return messageCard({ ok: tone === "plain", text }, { nonce: "" });
}

function logAction(nonce: string): ExecuteAction {
  return action("Log practice", VERB.form, { nonce });
}

// ---- dashboards -------------------------------------------------------------------------------

/** Past either limit a dashboard goes on to another page: Teams takes about 28 KB per message. */
export const PAGE_LIMITS = { rows: 20, bytes: 20_000 };

/** The mark beside a stuck case's heading and beside each element a stuck rule points at. */
export const STUCK_MARK = "⚠";

interface Block {
  readonly title: string;
  readonly rows: readonly RowView[];
}

/** Part of one dashboard on a page: its title, then its cases under their worker's heading. */
interface Section {
  readonly view: DashboardView;
  readonly blocks: readonly Block[];
}

export interface Page {
  readonly sections: readonly Section[];
}

/** Bytes a title or a "No open cases." line adds, with its JSON around it. */
const LINE_BYTES = 120;

/**
 * How a dashboard is drawn in a card. The seed's wide table only when every column holds its text
 * on a phone (`card-width.ts`): a card cannot tell which client draws it, and full width on a desktop
 * is still 360 px on a phone. Otherwise one block per case, its elements as label → value pairs,
 * which read at any width. The seed's dashboards (11–14 columns) never fit a phone; an agency's
 * adapted dashboard of a few columns may.
 */
export type DashboardLayout = "table" | "cases";

export function dashboardLayout(view: DashboardView): DashboardLayout {
  return widthsOf(view) ? "table" : "cases";
}

/** The element one row adds to a card, in the layout its dashboard takes. */
function rowBytes(view: DashboardView, layout: DashboardLayout, r: RowView): number {
  return layout === "table" ? bytesOf(table([], [rowCells(r)])) : caseBlockBytes(view, r);
}

// The JSON around `caseBlock`'s strings, as JSON.stringify writes it (keys in caseBlock's order).
const CASE_BLOCK_JSON =
  '{"type":"Container","separator":true,"spacing":"Small","items":[' +
  '{"type":"TextBlock","text":,"wrap":true},' +
  '{"type":"FactSet","spacing":"Small","facts":[]}]}';
const STUCK_COLOR_JSON = ',"color":"Attention"';
const FACT_JSON = '{"title":,"value":}';
const jsonLength = (s: string) => JSON.stringify(s).length;
/** per dashboard: the length its column labels add to every case block, as fact titles */
const titlesJson = new WeakMap<DashboardView, number>();

/**
 * `JSON.stringify(caseBlock(view, r)).length`, counted without building the block: every case of a
 * dashboard is sized to cut the pages, though only one page's blocks are drawn. (Building and
 * stringifying each was ~6% of a Teams message's main-thread CPU under load; a test holds the two
 * equal.)
 */
export function caseBlockBytes(view: DashboardView, r: RowView): number {
  const facts = view.columns.length - 1;
  let titles = titlesJson.get(view);
  if (titles === undefined) {
    titles = 0;
    for (const label of view.columns.slice(1)) titles += jsonLength(label);
    titlesJson.set(view, titles);
  }
  let bytes =
    CASE_BLOCK_JSON.length +
    jsonLength(teamsMarkdown(caseHeading(r))) +
    (r.stuck ? STUCK_COLOR_JSON.length : 0) +
    titles +
    Math.max(0, facts) * FACT_JSON.length +
    Math.max(0, facts - 1);
  for (let i = 1; i <= facts; i++) bytes += jsonLength(factValue(r, i, r.stuckAt.includes(i)));
  return bytes;
}

/**
 * The seed's dashboards cut into pages: each worker's cases under their heading ("Jane Smith's
 * Cases"), several dashboards on a page while they fit, a worker's cases carried over to the next
 * page when the page is full.
 */
export function dashboardPages(views: readonly DashboardView[]): Page[] {
  const pages: Page[] = [];
  let sections: { view: DashboardView; blocks: Block[] }[] = [];
  let rows = 0;
  let bytes = 0;
  const flush = () => {
    if (sections.length > 0) pages.push({ sections });
    sections = [];
    rows = 0;
    bytes = 0;
  };
  for (const view of views) {
    const layout = dashboardLayout(view);
    const header = layout === "table" ? bytesOf(table(headerOf(view), [])) : 0;
    let section: { view: DashboardView; blocks: Block[] } | null = null;
    const place = (block: Block, need: number, rowsNeeded: number) => {
      const full = rows + rowsNeeded > PAGE_LIMITS.rows || bytes + need + LINE_BYTES > PAGE_LIMITS.bytes;
      if (sections.length > 0 && full) {
        flush();
        section = null;
      }
      if (!section) {
        section = { view, blocks: [] };
        sections.push(section);
        bytes += LINE_BYTES + (view.legend?.length ?? 0);
      }
      section.blocks.push(block);
      rows += rowsNeeded;
      bytes += need;
      return block;
    };
    for (const g of view.groups) {
      if (g.rows.length === 0) {
        place({ title: g.title, rows: [] }, 2 * LINE_BYTES, 0);
        continue;
      }
      let open: RowView[] | null = null;
      for (const [i, r] of g.rows.entries()) {
        const row = rowBytes(view, layout, r);
        const full = rows + 1 > PAGE_LIMITS.rows || bytes + row > PAGE_LIMITS.bytes;
        if (open && !full) {
          open.push(r);
          rows += 1;
          bytes += row;
          continue;
        }
        open = [r];
        place(
          { title: i === 0 ? g.title : `${g.title} (continued)`, rows: open },
          row + header + LINE_BYTES,
          1,
        );
      }
    }
  }
  flush();
  return pages;
}

/** One page of a reply's dashboards, with Previous and Next when there are more. */
export function dashboardCard(reply: CardReply, opts: ReplyCardOptions): AdaptiveCard {
  const pages = dashboardPages(reply.dashboards ?? []);
  const n = Math.min(Math.max(1, opts.page ?? 1), pages.length);
  const page = pages[n - 1]!;
  const intro = reply.text.split("\n")[0] ?? "";
  const body: CardElement[] = [
    text(pages.length > 1 ? `${intro} Page ${n} of ${pages.length}.` : intro, { weight: "Bolder" }),
  ];
  let tables = false;
  const notes = { stuckTable: false, stuckCases: false, na: false };
  for (const { view, blocks } of page.sections) {
    const layout = dashboardLayout(view);
    tables ||= layout === "table";
    body.push(text(view.title, { size: "Medium", weight: "Bolder", style: "heading", spacing: "Medium" }));
    for (const b of blocks) {
      body.push(text(b.title, { weight: "Bolder", spacing: "Medium" }));
      if (b.rows.length === 0) body.push(text("No open cases.", { isSubtle: true, spacing: "Small" }));
      else if (layout === "table") body.push(table(headerOf(view), b.rows.map(rowCells), widthsOf(view)!));
      else body.push(...b.rows.map((r) => caseBlock(view, r)));
      const stuck = b.rows.some((r) => r.stuck);
      if (layout === "table") notes.stuckTable ||= stuck;
      else notes.stuckCases ||= stuck;
    }
    const shown = { ...view, groups: blocks.map((b) => ({ worker: "", title: b.title, rows: b.rows })) };
    notes.na ||= showsNotApplicable(shown);
    if (view.legend)
      body.push(text(`*Abuse Type: ${view.legend}`, { size: "Small", isSubtle: true, spacing: "Small" }));
  }
  const note = (s: string) => body.push(text(s, { size: "Small", isSubtle: true, spacing: "Small" }));
  if (notes.na) note(NOT_APPLICABLE_NOTE);
  if (notes.stuckTable) note(stuckNote("*", "`/sos stuck`"));
  if (notes.stuckCases) note(stuckMarksNote(STUCK_MARK, "`/sos stuck`"));

  const actions: ExecuteAction[] = [];
  if (opts.command !== undefined && pages.length > 1) {
    if (n > 1) actions.push(action("Previous page", VERB.page, { command: opts.command, page: n - 1 }));
    if (n < pages.length)
      actions.push(action("Next page", VERB.page, { command: opts.command, page: n + 1 }));
  }
  if (opts.logButton) actions.push(logAction(opts.nonce));
  return card(body, reply.text, { actions, wide: tables });
}

/**
 * One case as a block that reads on a phone: the case id and child in bold (marked when stuck), then
 * every other column of its dashboard as label → value, the elements a stuck rule points at marked.
 */
export function caseBlock(view: DashboardView, r: RowView): Container {
  const at = new Set(r.stuckAt);
  return {
    type: "Container",
    separator: true,
    spacing: "Small",
    items: [
      text(caseHeading(r), r.stuck ? { color: "Attention" } : {}),
      {
        type: "FactSet",
        spacing: "Small",
        facts: view.columns
          .slice(1)
          .map((label, i) => ({ title: label, value: factValue(r, i + 1, at.has(i + 1)) })),
      },
    ],
  };
}

function caseHeading(r: RowView): string {
  const child = r.cells[0] ?? "";
  return `${r.stuck ? `${STUCK_MARK} ` : ""}**${r.caseId}**${child && child !== r.caseId ? ` · ${child}` : ""}`;
}

/** Cell `i` of a case as its fact shows it, marked when a stuck rule points at it. */
function factValue(r: RowView, i: number, stuck: boolean): string {
  const value = r.cells[i] ?? "";
  return stuck ? `${value} ${STUCK_MARK}` : value;
}

function headerOf(view: DashboardView): string[] {
  return ["Case", ...view.columns];
}

/** The case id first (what a worker types), marked when stuck. */
function rowCells(r: RowView): { cells: string[]; color?: "Attention" } {
  return r.stuck
    ? { cells: [`${r.caseId}*`, ...r.cells], color: "Attention" }
    : { cells: [r.caseId, ...r.cells] };
}

/** per dashboard view: its table's column weights, or null (a card asks several times) */
const widths = new WeakMap<DashboardView, number[] | null>();

/** Column weights that let the table read on a phone, or null when none do (`card-width.ts`). */
function widthsOf(view: DashboardView): number[] | null {
  let w = widths.get(view);
  if (w === undefined) {
    const header = headerOf(view);
    // A header too wide alone is too wide with any rows (needs only grow): the rows are not built.
    w =
      fittingWeights([header]) &&
      fittingWeights([header, ...view.groups.flatMap((g) => g.rows.map((r) => rowCells(r).cells))]);
    widths.set(view, w);
  }
  return w;
}

function bytesOf(x: unknown): number {
  return JSON.stringify(x).length;
}

// ---- one case ---------------------------------------------------------------------------------

/** The most history lines a case card lists, newest kept; the text reply has them all. */
export const HISTORY_LIMIT = 40;

export function caseCard(view: CaseView, fallback: string, opts: { nonce: string }): AdaptiveCard {
  const row = view.dashboard.groups[0]?.rows[0];
  const body: CardElement[] = [
    text(`Case ${view.caseId}${view.child === view.caseId ? "" : `: ${view.child}`}`, {
      size: "Medium",
      weight: "Bolder",
      style: "heading",
    }),
    { type: "FactSet", facts: view.summary.map((s) => ({ title: s.label, value: s.value })) },
    text(`On the ${view.dashboard.title} dashboard`, { weight: "Bolder", spacing: "Medium" }),
    {
      type: "FactSet",
      spacing: "Small",
      facts: view.dashboard.columns.slice(1).map((label, i) => {
        const value = row?.cells[i + 1] ?? "";
        return { title: label, value: row?.stuckAt.includes(i + 1) ? `${value} ${STUCK_MARK}` : value };
      }),
    },
    ...(row && row.stuckAt.length > 0
      ? [
          text(stuckMarksNote(STUCK_MARK, "`/sos stuck`"), {
            size: "Small" as const,
            isSubtle: true as const,
            spacing: "Small" as const,
          }),
        ]
      : []),
    text("History", { weight: "Bolder", spacing: "Medium" }),
  ];
  const shown = view.history.slice(-HISTORY_LIMIT);
  if (view.history.length > shown.length) {
    body.push(
      text(`${view.history.length - shown.length} earlier entries are not shown here.`, { isSubtle: true }),
    );
  }
  if (shown.length === 0) body.push(text("Nothing recorded yet.", { isSubtle: true, spacing: "Small" }));
  for (const h of shown) {
    body.push(
      text(`**${h.on}** ${h.retracted ? `(undone) ${h.text}` : h.text}`, {
        spacing: "Small",
        ...(h.retracted ? { isSubtle: true as const } : {}),
      }),
    );
  }
  const actions =
    view.status === "open"
      ? [action("Log practice on this case", VERB.formCase, { caseId: view.caseId, nonce: opts.nonce })]
      : [];
  return card(body, fallback, { actions, wide: true });
}

// ---- stuck cases and agency coverage ----------------------------------------------------------

/** The most stuck cases one card lists; the rest are counted. */
export const STUCK_LIMIT = 40;

export function stuckCard(view: StuckView, fallback: string): AdaptiveCard {
  const body: CardElement[] = [
    text(
      view.items.length === 0 ? view.title : `${view.title} (${view.items.length + (view.more?.count ?? 0)})`,
      {
        size: "Medium",
        weight: "Bolder",
        style: "heading",
      },
    ),
  ];
  if (view.items.length === 0) body.push(text("No stuck cases.", { color: "Good" }));
  for (const item of view.items.slice(0, STUCK_LIMIT)) {
    const child = item.child === item.caseId ? "" : ` ${item.child}`;
    body.push({
      type: "Container",
      separator: true,
      spacing: "Medium",
      items: [
        text(`**${item.caseId}**${child} · ${item.worker}, ${item.team} · ${item.dashboard}`),
        ...item.findings.map((f) =>
          text(
            `- ${f.reason}: stuck ${f.days === 0 ? "since today" : `${f.days} day${f.days === 1 ? "" : "s"} (since ${f.since})`}`,
            { spacing: "None", color: "Attention" },
          ),
        ),
      ],
    });
  }
  const more = Math.max(0, view.items.length - STUCK_LIMIT) + (view.more?.count ?? 0);
  if (more > 0)
    body.push(
      text(`${more} more stuck cases are not shown here. ${view.more?.hint ?? ""}`.trim(), {
        isSubtle: true,
      }),
    );
  return card(body, fallback, { wide: true });
}

export function coverageCard(view: CoverageView, fallback: string): AdaptiveCard {
  const rows = [
    ...view.rows.map((r) => [r.label, String(r.openCases), ...r.cells]),
    { cells: [view.total.label, String(view.total.openCases), ...view.total.cells], bold: true },
  ];
  const laid = tableOrRecords(view.columns, rows);
  const body: CardElement[] = [
    text(view.title, { size: "Medium", weight: "Bolder", style: "heading" }),
    ...laid.elements,
    text(view.note, { size: "Small", isSubtle: true }),
  ];
  return card(body, fallback, { wide: laid.table });
}
