import type { CellStatus, WhiteboardModel } from "./whiteboard-view.ts";

/**
 * What the whiteboard's cells look like, shared by both pictures and the printed page. Colour is never
 * the only cue: the full picture pairs each colour with a mark (✓, blank, !, –), and the four fills
 * differ in lightness too (dark, white, middle, light grey), so they read in greyscale and with any
 * colour vision. Blue and orange are the pair colour-blind readers tell apart best.
 */
export const FILL: Readonly<Record<CellStatus, string>> = {
  done: "#1c5a96",
  missing: "#ffffff",
  stuck: "#d55e00",
  na: "#d5d9de",
};

/** The mark on a cell, also used by the printed page's legend. */
export const MARK: Readonly<Record<CellStatus, string>> = { done: "✓", missing: "", stuck: "!", na: "–" };

export const LEGEND: Readonly<Record<CellStatus, string>> = {
  done: "Done (recorded)",
  missing: "Not done yet",
  stuck: "Stuck: overdue by a stuck rule",
  na: "Not on this case's own dashboard",
};

export const INK = "#1f2328";
export const MUTED = "#59636e";
export const RULE = "#8c959f";
/** text for stuck reasons: a darker orange, readable on white */
export const ALERT = "#a63f00";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Beside the element columns: stuck rules that point at no missing element, as days. */
export const MARKERS = [
  // Days since, not days past a rule's deadline (as /sos stuck counts): named so, to read right.
  { key: "quietDays", heading: ["Days since", "last", "entry"], label: "days since the last entry" },
  { key: "scaleDays", heading: ["Days since", "scale", "rated"], label: "days since the scale was rated" },
] as const;

/** "01/03/16 · 6 open cases · 2 stuck": the line under the title. */
export function summaryLine(m: WhiteboardModel): string {
  return `${m.date} · ${plural(m.counts.cases, "open case")} · ${m.counts.stuckCases} stuck`;
}

/**
 * Alt text: what the picture shows, with numbers and no child's name (worker names are fine, they are
 * in the group headings of every team view).
 */
export function whiteboardAlt(m: WhiteboardModel, size: "full" | "compact"): string {
  const c = m.counts;
  const parts = [
    `${m.title}, ${m.date}: ${plural(c.cases, "open case")} set against ${m.columns.length} practice elements, grouped by worker.`,
  ];
  if (c.cases > 0) {
    const most = m.columns
      .map((col, i) => ({ label: col.label, n: c.columns[i]!.stuck }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label))
      .slice(0, 3)
      .map((x) => `${x.label} (${x.n})`);
    parts.push(
      `${plural(c.stuckCases, "case")} stuck` +
        (most.length ? `; stuck most often at ${most.join(", ")}.` : "; no element overdue.") +
        (c.quiet ? ` ${plural(c.quiet, "case")} with nothing logged lately.` : "") +
        (c.scaleOverdue ? ` ${plural(c.scaleOverdue, "case")} due a new scale rating.` : ""),
    );
    parts.push(
      size === "full"
        ? "Dark blue with a tick: done. White: not done yet. Orange with !: stuck. Grey with a dash: not on the case's own dashboard."
        : "Each column is a case. Dark blue: done. White: not done yet. Orange: stuck. Grey: not on the case's own dashboard.",
    );
  }
  return parts.join(" ");
}
