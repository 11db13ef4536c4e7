import { NOT_APPLICABLE_NOTE, showsNotApplicable, showsStuck, stuckNote } from "../render/notes.ts";
import type { DashboardView } from "../render/view.ts";
import { escapeXml as esc } from "./svg-text.ts";
import { FILL, LEGEND, MARK, summaryLine } from "./whiteboard-style.ts";
import { whiteboardSvg } from "./whiteboard-svg.ts";
import { CELL_STATUSES, type WhiteboardGroup, type WhiteboardModel } from "./whiteboard-view.ts";

/**
 * The printable whiteboard (`sos export --format html`): the seed notes that paper still has its
 * place. One self-contained page, A4 landscape: the heatmap in pieces that each fit a page, then the
 * team's dashboards as the seed's tables (the same cells as the text and CSV views), with the abuse-type
 * legend. Every piece of data is escaped.
 */

export interface HtmlMeta {
  readonly agency: string;
}

/** rows of heatmap per printed piece: ~30 fit an A4 landscape page with the headings */
const PIECE_ROWS = 30;

/** The seed's note on FDV, under its abuse-type legend. */
const FDV_NOTE =
  "FDV: Family and Domestic Violence (Children exposed to violence by one partner or a child/teen to a parent – most often male violence)";

const CSS = `
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1f2328; margin: 16px; font-size: 10pt; }
h1 { font-size: 16pt; margin: 0 0 2px; }
h2 { font-size: 12pt; margin: 14px 0 6px; }
p { margin: 2px 0 6px; }
.muted { color: #59636e; }
.privacy { font-weight: bold; }
.key { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0; padding: 0; list-style: none; }
.key li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 28px; height: 14px; border: 1px solid #8c959f; color: #fff;
  text-align: center; font-size: 9pt; line-height: 12px; font-weight: bold; }
.swatch.na { color: #57606a; }
figure { margin: 0 0 8px; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin-bottom: 6px; }
th, td { border: 1px solid #8c959f; padding: 2px 4px; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; font-weight: bold; }
thead { display: table-header-group; }
tbody { break-inside: avoid; page-break-inside: avoid; }
tr { break-inside: avoid; page-break-inside: avoid; }
th.group { background: #f6f8fa; font-size: 9pt; }
td.mark { color: #a63f00; font-weight: bold; width: 1em; }
.dashboard { break-before: page; page-break-before: always; }
.totals td:not(:first-child), .totals th:not(:first-child) { text-align: center; }
@media print {
  body { margin: 0; }
  th, td, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** The heatmap's groups cut into pieces of at most PIECE_ROWS rows; a long group goes on "(continued)". */
function pieces(m: WhiteboardModel): WhiteboardGroup[][] {
  const out: WhiteboardGroup[][] = [];
  let piece: WhiteboardGroup[] = [];
  let rows = 0;
  const push = (g: WhiteboardGroup, size: number) => {
    if (rows + size > PIECE_ROWS && piece.length > 0) {
      out.push(piece);
      piece = [];
      rows = 0;
    }
    piece.push(g);
    rows += size;
  };
  for (const g of m.groups) {
    if (g.rows.length === 0) push(g, 1);
    for (let i = 0; i < g.rows.length; i += PIECE_ROWS) {
      const title = i === 0 ? g.title : `${g.title} (continued)`;
      push({ ...g, title, rows: g.rows.slice(i, i + PIECE_ROWS) }, Math.min(PIECE_ROWS, g.rows.length - i));
    }
  }
  if (piece.length > 0 || out.length === 0) out.push(piece);
  return out;
}

function heatmap(m: WhiteboardModel): string {
  const key = CELL_STATUSES.map(
    (s) =>
      `<li><span class="swatch ${s}" style="background:${FILL[s]}">${esc(MARK[s])}</span>${esc(LEGEND[s])}</li>`,
  ).join("");
  const figures = pieces(m).map((groups) => {
    const svg = whiteboardSvg({ ...m, groups }, { size: "full", text: "text", frame: false, columnsFor: m });
    return `<figure>${svg}</figure>`;
  });
  return [`<ul class="key">${key}</ul>`, totals(m), ...figures].join("\n");
}

/** The team's totals per element: how much of each is done, and where cases are stuck. */
function totals(m: WhiteboardModel): string {
  const head = m.columns.map((c) => `<th>${esc(c.label)}</th>`).join("");
  const cells = (f: (i: number) => string) => m.columns.map((_, i) => `<td>${esc(f(i))}</td>`).join("");
  const done = (i: number) => {
    const c = m.counts.columns[i]!;
    const of = c.done + c.missing + c.stuck;
    return of === 0 ? "–" : `${c.done}/${of}`;
  };
  return [
    '<table class="totals">',
    `<thead><tr><th>Open cases: ${m.counts.cases}</th>${head}</tr></thead>`,
    `<tbody><tr><th>Done, of cases with it</th>${cells(done)}</tr>`,
    `<tr><th>Stuck here</th>${cells((i) => String(m.counts.columns[i]!.stuck))}</tr></tbody>`,
    "</table>",
    `<p class="muted">Also stuck: ${m.counts.quiet} with nothing logged lately, ${m.counts.scaleOverdue} due a new scale rating (the right-hand columns give the days).</p>`,
  ].join("\n");
}

/** One of the seed's tables, as in the text view: worker groups, a stuck mark, the abuse-type legend. */
function dashboardTable(v: DashboardView): string {
  const span = v.columns.length + 2;
  const head = `<thead><tr><th></th><th>Case</th>${v.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>`;
  const groups = v.groups.map((g) => {
    const title = `<tr><th class="group" colspan="${span}">${esc(g.title)}</th></tr>`;
    const rows =
      g.rows.length === 0
        ? [`<tr><td></td><td colspan="${span - 1}" class="muted">(no open cases)</td></tr>`]
        : g.rows.map(
            (r) =>
              `<tr><td class="mark">${r.stuck ? "*" : ""}</td><td>${esc(r.caseId)}</td>${r.cells.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`,
          );
    return `<tbody>${title}${rows.join("")}</tbody>`;
  });
  const notes: string[] = [];
  if (showsStuck(v)) notes.push(`<p>${esc(stuckNote("*", "/sos stuck"))}</p>`);
  if (showsNotApplicable(v)) notes.push(`<p>${esc(NOT_APPLICABLE_NOTE)}</p>`);
  if (v.legend) notes.push(`<p><b>*Abuse Type</b> ${esc(v.legend)}</p>`, `<p>${esc(FDV_NOTE)}</p>`);
  return [
    `<section class="dashboard"><h2>${esc(v.title)}</h2>`,
    `<table>${head}${groups.join("")}</table>`,
    ...notes,
    "</section>",
  ].join("\n");
}

export function whiteboardHtml(
  m: WhiteboardModel,
  dashboards: readonly DashboardView[],
  meta: HtmlMeta,
): string {
  const privacy =
    m.names === "full"
      ? "Contains children's full names: keep it secure, and shred it when done."
      : m.names === "initials"
        ? "Children are shown by initials and age."
        : "Children are shown by case id only.";
  return [
    "<!doctype html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${esc(`${m.title}, ${m.date}`)}</title><style>${CSS}</style></head>`,
    "<body>",
    `<header><h1>${esc(m.title)}</h1>`,
    `<p class="muted">${esc(meta.agency)} · ${esc(summaryLine(m))}</p>`,
    `<p class="privacy">${esc(privacy)}</p></header>`,
    `<section class="heatmap">${heatmap(m)}</section>`,
    ...dashboards.map(dashboardTable),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
