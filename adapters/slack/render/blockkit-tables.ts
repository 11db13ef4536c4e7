import { NOT_APPLICABLE_NOTE, showsNotApplicable, showsStuck, stuckNote } from "../../../src/render/notes.ts";
import { coverageText, dashboardText } from "../../../src/render/text.ts";
import type { CoverageView, DashboardView, GroupView, RowView } from "../../../src/render/view.ts";
import {
  type ActionsBlock,
  type Block,
  button,
  type ContextBlock,
  cell,
  clip,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  type Message,
  type RichTextCell,
  type TableBlock,
} from "./blockkit.ts";

/**
 * The seed's tables as Block Kit table blocks. Slack takes one table per message, at most 100 rows
 * of 20 cells and 10,000 characters of cells, so a dashboard is cut into pages: whole worker groups
 * while they fit, a group too big for one page over several ("… (continued)"). Each page is a
 * message of its own, with Previous/Next buttons when there is more than one.
 */

export interface PageBudget {
  /** data rows per table (the header row comes on top) */
  readonly rows: number;
  /** characters of cell text per table, header included */
  readonly chars: number;
}

/** Well inside Slack's limits, so the header, legend and buttons fit beside the table. */
export const PAGE_BUDGET: PageBudget = { rows: LIMITS.tableRows - 1, chars: 8000 };

export interface DashboardPage {
  /** the dashboard, holding only this page's groups and rows */
  readonly view: DashboardView;
  /** whether the table has a Worker column: a dashboard of several workers' groups */
  readonly workerColumn: boolean;
}

export const STUCK_MARK = "⚠";
export const PAGE_ACTION = "sos_page";

function rowCells(row: RowView, worker: string | null): string[] {
  const id = row.stuck ? `${STUCK_MARK} ${row.caseId}` : row.caseId;
  return worker === null ? [id, ...row.cells] : [worker, id, ...row.cells];
}

function headerCells(view: DashboardView, workerColumn: boolean): string[] {
  return workerColumn ? ["Worker", "Case", ...view.columns] : ["Case", ...view.columns];
}

const length = (cells: readonly string[]) => cells.reduce((n, c) => n + Math.max(1, c.length), 0);

/** Cuts dashboards into pages that each fit one message's table. */
export function dashboardPages(
  views: readonly DashboardView[],
  budget: PageBudget = PAGE_BUDGET,
): DashboardPage[] {
  const pages: DashboardPage[] = [];
  for (const view of views) {
    const workerColumn = view.groups.length > 1;
    const headCost = length(headerCells(view, workerColumn));
    let groups: GroupView[] = [];
    let rows = 0;
    let chars = headCost;
    const flush = () => {
      if (groups.length > 0) pages.push({ view: { ...view, groups }, workerColumn });
      groups = [];
      rows = 0;
      chars = headCost;
    };
    for (const g of view.groups) {
      const cost = (r: RowView) => length(rowCells(r, workerColumn ? g.worker : null));
      const total = g.rows.reduce((n, r) => n + cost(r), 0);
      if (rows + g.rows.length <= budget.rows && chars + total <= budget.chars) {
        groups.push(g);
        rows += g.rows.length;
        chars += total;
        continue;
      }
      if (rows > 0) flush();
      let chunk: RowView[] = [];
      let part = 0;
      const title = () => (part === 0 ? g.title : `${g.title} (continued)`);
      for (const r of g.rows) {
        const c = cost(r);
        if (chunk.length > 0 && (rows + 1 > budget.rows || chars + c > budget.chars)) {
          groups.push({ ...g, title: title(), rows: chunk });
          flush();
          chunk = [];
          part++;
        }
        chunk.push(r);
        rows++;
        chars += c;
      }
      groups.push({ ...g, title: title(), rows: chunk });
    }
    flush();
  }
  return pages;
}

/** Rows of text as one table block, the rows in `boldRows` (a header, a total) in bold. */
export function table(rows: readonly (readonly string[])[], boldRows: ReadonlySet<number>): TableBlock {
  const width = Math.max(...rows.map((r) => r.length));
  return {
    type: "table",
    column_settings: Array.from({ length: Math.min(width, LIMITS.tableCells) }, () => ({ is_wrapped: true })),
    rows: rows.map((r, i): RichTextCell[] =>
      r.map((c) => cell(c, boldRows.has(i) ? { bold: true } : undefined)),
    ),
  };
}

export function dashboardTable(page: DashboardPage): TableBlock {
  const { view, workerColumn } = page;
  const rows: string[][] = [headerCells(view, workerColumn)];
  for (const g of view.groups) for (const r of g.rows) rows.push(rowCells(r, workerColumn ? g.worker : null));
  return table(rows, new Set([0]));
}

function groupSummary(view: DashboardView): string {
  return view.groups
    .map((g) => {
      const n = g.rows.length;
      return `*${escapeMrkdwn(g.title)}*: ${n === 0 ? "no open cases" : `${n} open case${n === 1 ? "" : "s"}`}`;
    })
    .join("  ·  ");
}

/** The notes under a table: the stuck mark, what – means and the abuse-type legend, when the page needs them. */
export function tableNotes(view: DashboardView): ContextBlock | null {
  const notes: string[] = [];
  if (showsStuck(view)) notes.push(stuckNote(STUCK_MARK, "`/sos stuck`"));
  if (showsNotApplicable(view)) notes.push(escapeMrkdwn(NOT_APPLICABLE_NOTE));
  if (view.legend && view.columns.length > 0) notes.push(`*Abuse Type:* ${escapeMrkdwn(view.legend)}`);
  return notes.length ? context(notes.join("\n")) : null;
}

/** Previous/Next buttons; `value(i)` is what the adapter needs to draw page i again. */
export function pageButtons(
  index: number,
  count: number,
  value: (page: number) => string,
  label: (page: number) => string,
  actionId: string = PAGE_ACTION,
): ActionsBlock | null {
  if (count <= 1) return null;
  const elements = [];
  if (index > 0) elements.push(button(`‹ ${label(index - 1)}`, `${actionId}_prev`, value(index - 1)));
  if (index < count - 1) elements.push(button(`${label(index + 1)} ›`, `${actionId}_next`, value(index + 1)));
  return { type: "actions", elements };
}

export function pageLabel(page: DashboardPage | undefined): string {
  const g = page?.view.groups.find((x) => x.rows.length > 0) ?? page?.view.groups[0];
  return g ? g.title : "More";
}

/** Page `index` of a paged dashboard as one message: header, who is on it, the table, notes, buttons. */
export function dashboardMessage(
  pages: readonly DashboardPage[],
  index: number,
  nav?: { value: (page: number) => string; actionId?: string },
  intro?: string,
): Message {
  const page = pages[index]!;
  const { view } = page;
  const where = pages.length > 1 ? `page ${index + 1} of ${pages.length}` : "";
  const blocks: Block[] = [header(view.title)];
  if (intro) blocks.push(context(escapeMrkdwn(intro)));
  blocks.push(context([groupSummary(view), where].filter(Boolean).join("  ·  ")));
  if (view.groups.some((g) => g.rows.length > 0)) blocks.push(dashboardTable(page));
  const notes = tableNotes(view);
  if (notes) blocks.push(notes);
  const buttons = nav
    ? pageButtons(
        index,
        pages.length,
        nav.value,
        (i) => (pages[i]!.view.title === view.title ? pageLabel(pages[i]) : pages[i]!.view.title),
        nav.actionId,
      )
    : null;
  if (buttons) blocks.push(buttons);
  const text = `${where ? `${view.title} (${where})\n\n` : ""}${dashboardText(view)}`;
  return { text: clip(text, LIMITS.fallbackText), blocks };
}

/** The agency picture: one row per team and the whole agency, as one table. */
export function coverageMessage(view: CoverageView): Message {
  const head = [...view.columns];
  const total = [view.total.label, String(view.total.openCases), ...view.total.cells];
  let chars = length(head) + length(total);
  const shown: string[][] = [];
  for (const r of view.rows) {
    const row = [r.label, String(r.openCases), ...r.cells];
    if (shown.length >= PAGE_BUDGET.rows - 1 || chars + length(row) > PAGE_BUDGET.chars) break;
    shown.push(row);
    chars += length(row);
  }
  const room = shown.length;
  const rows: string[][] = [head, ...shown, total];
  const blocks: Block[] = [header(view.title), table(rows, new Set([0, rows.length - 1]))];
  const notes = [escapeMrkdwn(view.note)];
  if (view.rows.length > room)
    notes.push(`${view.rows.length - room} more teams are not shown here; the whole agency row counts them.`);
  blocks.push(context(notes.join("\n")));
  return { text: clip(coverageText(view), LIMITS.fallbackText), blocks };
}
