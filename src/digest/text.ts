import { dashboardText, table } from "../render/text.ts";
import { type DigestPart, digestParts, plain, type StuckEntry } from "./parts.ts";
import type { AgencySummaryView, DigestView, NudgeView, TableBlock, TeamDigestView } from "./views.ts";

/**
 * Digests as plain text: the console preview, `sos digest run --dry-run`, and every platform's
 * fallback text. Lays out the parts `digestParts` decides; says nothing of its own.
 */

export function tableBlockText(t: TableBlock): string {
  return [
    t.title,
    "",
    t.rows.length ? table(t.columns, t.rows) : "(none)",
    ...(t.note ? ["", t.note] : []),
  ].join("\n");
}

/** `12345  M.M. 13  ·  Jane Smith, North Team  ·  Front end …` and a line per rule. */
export function stuckEntryText(e: StuckEntry): string {
  const lead = [e.child === null ? e.caseId : `${e.caseId}  ${e.child}`, ...e.about].join("  ·  ");
  return [lead, ...e.findings.map((f) => `  - ${f}`)].join("\n");
}

/** The heading lines that sit together at the top, one per line. */
const HEAD = new Set<DigestPart["kind"]>(["title", "lead", "late", "headline", "quiet", "warning"]);

function partText(p: DigestPart): string {
  switch (p.kind) {
    case "title":
      return `${p.title}, ${p.window}`;
    case "lead":
      return plain(p.spans);
    case "late":
      return `(${p.text})`;
    case "headline":
    case "quiet":
    case "warning":
    case "none":
      return p.text;
    case "table":
      return tableBlockText(p.table);
    case "cases":
      return [p.title, ...p.entries.map((c) => `  - ${c}`)].join("\n");
    case "stuck":
      return [p.title, ...p.entries.flatMap((e) => ["", stuckEntryText(e)])].join("\n");
    case "dashboards":
      return p.views.map(dashboardText).join("\n\n");
    case "help":
      return p.typed;
    default: {
      const never: never = p;
      return never;
    }
  }
}

/** Parts as text: the heading lines together, then each part after a blank line. */
export function partsText(parts: readonly DigestPart[]): string {
  const blocks: string[] = [];
  let head: string[] = [];
  for (const p of parts) {
    if (HEAD.has(p.kind) && blocks.length === 0) {
      head.push(partText(p));
      continue;
    }
    if (head.length) {
      blocks.push(head.join("\n"));
      head = [];
    }
    if (p.kind === "dashboards" && p.views.length === 0) continue;
    blocks.push(partText(p));
  }
  if (head.length) blocks.push(head.join("\n"));
  return blocks.join("\n\n");
}

export function teamDigestText(v: TeamDigestView): string {
  return partsText(digestParts(v).parts);
}

export function agencySummaryText(v: AgencySummaryView): string {
  return partsText(digestParts(v).parts);
}

export function nudgeText(v: NudgeView): string {
  return partsText(digestParts(v).parts);
}

export function digestText(v: DigestView): string {
  return partsText(digestParts(v).parts);
}
