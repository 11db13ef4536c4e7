import { findingLine } from "../digest/words.ts";
import { NOT_APPLICABLE_NOTE, showsNotApplicable, showsStuck, stuckNote } from "./notes.ts";
import type { CaseView, CoverageView, DashboardView, StuckView } from "./view.ts";

/**
 * Plain-text renderings for the console, the CLI and chat fallbacks. Tables are aligned with spaces
 * for a fixed-width font; long seed labels ("Participatory Conferences/Meetings including Network")
 * wrap over several header lines instead of widening their column.
 */

const GAP = "  ";
/** narrow columns still get this much room, so short labels do not wrap word by word */
const MIN_WIDTH = 8;

const SPACES: string[] = [];
/** `n` spaces, one string per width. */
function spaces(n: number): string {
  let s = SPACES[n];
  if (s === undefined) {
    s = " ".repeat(n);
    if (n < 500) SPACES[n] = s;
  }
  return s;
}

function wrap(label: string, width: number): string[] {
  const words = label.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line === "") line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** An aligned table: headers wrapped to fit, then rows; `sections` are full-width lines between rows. */
export function table(
  headers: readonly string[],
  body: readonly (readonly string[] | { section: string })[],
): string {
  // One pass over the rows for every column's width, and each line built by appending: a week's
  // team digests lay out 20,000 case rows, and an array per column and per line was a fifth of
  // their text's cost (bench/profile.ts).
  const cellWidths = headers.map(() => 0);
  for (const r of body) {
    if (!Array.isArray(r)) continue;
    const cells = r as readonly string[];
    for (let i = 0; i < headers.length; i++) {
      const n = (cells[i] ?? "").length;
      if (n > cellWidths[i]!) cellWidths[i] = n;
    }
  }
  const widths = headers.map((h, i) => {
    const longestWord = Math.max(0, ...h.split(/\s+/).map((w) => w.length));
    return Math.max(cellWidths[i]!, longestWord, Math.min(h.length, MIN_WIDTH));
  });
  const wrapped = headers.map((h, i) => wrap(h, widths[i]!));
  const depth = Math.max(1, ...wrapped.map((w) => w.length));
  // Each cell padded to its column's width (none past the last column), joined by GAP, trailing
  // spaces dropped: as `cells.map(padEnd).join(GAP).trimEnd()` would, without the arrays.
  const line = (cells: readonly string[]) => {
    let text = "";
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if (i > 0) text += GAP;
      text += c;
      const pad = (widths[i] ?? 0) - c.length;
      if (pad > 0) text += spaces(pad);
    }
    return text.trimEnd();
  };
  const out: string[] = [];
  for (let d = 0; d < depth; d++) out.push(line(wrapped.map((w) => w[w.length - depth + d] ?? "")));
  out.push(line(widths.map((w) => "-".repeat(w))));
  for (const r of body) out.push(Array.isArray(r) ? line(r) : (r as { section: string }).section);
  return out.join("\n");
}

export function dashboardText(view: DashboardView): string {
  const headers = ["", "Case", ...view.columns];
  const body: (string[] | { section: string })[] = [];
  for (const g of view.groups) {
    body.push({ section: g.title });
    if (g.rows.length === 0) body.push({ section: "   (no open cases)" });
    for (const r of g.rows) body.push([r.stuck ? "*" : "", r.caseId, ...r.cells]);
  }
  const parts = [view.title, "", table(headers, body)];
  const notes: string[] = [];
  if (showsStuck(view)) notes.push(stuckNote("*", "/sos stuck"));
  if (showsNotApplicable(view)) notes.push(NOT_APPLICABLE_NOTE);
  if (view.legend) notes.push(`*Abuse Type  ${view.legend}`);
  if (notes.length) parts.push("", ...notes);
  return parts.join("\n");
}

export function coverageText(view: CoverageView): string {
  const body = view.rows.map((r) => [r.label, String(r.openCases), ...r.cells]);
  body.push([view.total.label, String(view.total.openCases), ...view.total.cells]);
  return [view.title, "", table(view.columns, body), "", view.note].join("\n");
}

export function stuckText(view: StuckView): string {
  if (view.items.length === 0) return `${view.title}\nNo stuck cases.`;
  const lines = [`${view.title} (${view.items.length + (view.more?.count ?? 0)})`];
  for (const item of view.items) {
    lines.push(
      "",
      `${item.caseId}  ${item.child === item.caseId ? "" : item.child}  ·  ${item.worker}, ${item.team}  ·  ${item.dashboard}`.replace(
        "    ·",
        "  ·",
      ),
    );
    for (const f of item.findings) {
      lines.push(`  - ${findingLine(f)}`);
    }
  }
  if (view.more) lines.push("", `…and ${view.more.count} more. ${view.more.hint}`);
  return lines.join("\n");
}

export function caseText(view: CaseView): string {
  const width = Math.max(...view.summary.map((s) => s.label.length));
  const lines = [`Case ${view.caseId}${view.child === view.caseId ? "" : `: ${view.child}`}`, ""];
  for (const s of view.summary) lines.push(`${`${s.label}:`.padEnd(width + 2)}${s.value}`);
  const d = view.dashboard;
  lines.push(
    "",
    table(
      d.columns,
      d.groups.flatMap((g) => g.rows.map((r) => r.cells)),
    ),
  );
  lines.push("", "History");
  for (const h of view.history)
    lines.push(`  ${h.on.padEnd(8)}  ${h.retracted ? `[undone] ${h.text}` : h.text}`);
  return lines.join("\n");
}
