import type { DashboardView, StuckItem } from "../render/view.ts";
import { coverageTable, type DigestView, type TableBlock } from "./views.ts";
import { findingLine, LATE_LINE, leaversLine, quietLine, whatFollows } from "./words.ts";

/**
 * What a digest says and in what order, decided once for every surface: an ordered list of parts,
 * each with its final words. The text renderer, Block Kit and Adaptive Cards lay these parts out
 * (headings, emphasis, how many fit a message) and decide nothing about what is said.
 */

/** Words with emphasis: the few lines that name a button ("*Log…* opens the form"). */
export type Span = string | { readonly strong: string };

/** A stuck case as every list of them shows it. */
export interface StuckEntry {
  readonly caseId: string;
  /** the child as this audience may see them; null when the channel shows the case id only */
  readonly child: string | null;
  /** who holds it and where: "Jane Smith, North Team", "Front end statutory child protection" */
  readonly about: readonly string[];
  /** each rule the case breaks, with how long: "no Mapping with Family …: stuck 30 days (since 31/01/16)" */
  readonly findings: readonly string[];
}

export type DigestPart =
  /** the digest's heading and the week it covers */
  | { readonly kind: "title"; readonly title: string; readonly window: string }
  /** a nudge's opening line: "Jane Smith: 6 of your cases are stuck." */
  | { readonly kind: "lead"; readonly spans: readonly Span[] }
  /** posted after its time */
  | { readonly kind: "late"; readonly text: string }
  /** the week in numbers */
  | { readonly kind: "headline"; readonly text: string }
  /** a quiet week: the one line that stands in for the tables */
  | { readonly kind: "quiet"; readonly text: string }
  /** something the reader must act on (cases held by people who left) */
  | { readonly kind: "warning"; readonly text: string }
  /** a table; `bold` rows (a total) by index */
  | { readonly kind: "table"; readonly table: TableBlock; readonly bold: readonly number[] }
  /** a short list of cases: new, closed */
  | { readonly kind: "cases"; readonly title: string; readonly entries: readonly string[] }
  /**
   * Stuck cases under a heading. `raised`: stuck long enough to be raised to the supervisor.
   * `snoozeDays`: the reader's own cases, each with Log… and Snooze buttons where a surface has them.
   */
  | {
      readonly kind: "stuck";
      readonly title: string;
      readonly raised: boolean;
      readonly entries: readonly StuckEntry[];
      readonly snoozeDays?: number;
    }
  /** a list that is empty, said in words */
  | { readonly kind: "none"; readonly text: string }
  /** the seed's tables, page by page */
  | { readonly kind: "dashboards"; readonly intro: string; readonly views: readonly DashboardView[] }
  /** how to act on a nudge: with buttons (`spans`), or typed (`typed`) where there are none */
  | { readonly kind: "help"; readonly spans: readonly Span[]; readonly typed: string };

export interface DigestDoc {
  readonly kind: DigestView["kind"];
  readonly parts: readonly DigestPart[];
  /** whether the whiteboard picture goes with it (a team digest's full week) */
  readonly picture: boolean;
  /** what follows the first message, for the line that points to the thread */
  readonly follows: string;
}

export function stuckEntry(item: StuckItem, withHolder: boolean): StuckEntry {
  return {
    caseId: item.caseId,
    child: item.child === item.caseId ? null : item.child,
    about: withHolder ? [`${item.worker}, ${item.team}`, item.dashboard] : [item.dashboard],
    findings: item.findings.map(findingLine),
  };
}

const counted = (title: string, n: number) => `${title} (${n})`;

/** The digest as parts, in the order every surface shows them. */
export function digestParts(view: DigestView): DigestDoc {
  const head: DigestPart[] = [];
  const late = (isLate: boolean): DigestPart[] => (isLate ? [{ kind: "late", text: LATE_LINE }] : []);
  const doc = (parts: DigestPart[], picture = false): DigestDoc => ({
    kind: view.kind,
    parts,
    picture,
    follows: whatFollows(view),
  });

  if (view.kind === "agency") {
    const coverage = coverageTable(view.coverage);
    const last = (t: TableBlock) => [t.rows.length - 1];
    return doc([
      { kind: "title", title: view.title, window: view.window },
      ...late(view.late),
      { kind: "table", table: coverage, bold: last(coverage) },
      { kind: "table", table: view.trend, bold: [] },
      { kind: "table", table: view.stuckCounts, bold: last(view.stuckCounts) },
      { kind: "table", table: view.outcomes, bold: [] },
    ]);
  }

  if (view.kind === "nudge") {
    return doc([
      { kind: "lead", spans: [{ strong: view.worker }, `: ${view.title}.`] },
      view.items.length === 0
        ? { kind: "none", text: "None of your cases is stuck." }
        : {
            kind: "stuck",
            title: counted("Your stuck cases", view.items.length),
            raised: false,
            entries: view.items.map((i) => stuckEntry(i, false)),
            snoozeDays: view.snoozeDays,
          },
      {
        kind: "help",
        spans: [
          { strong: "Log…" },
          " opens the form on that case. ",
          { strong: `Snooze ${view.snoozeDays} days` },
          ` leaves the case out of these reminders for ${view.snoozeDays} days; it still shows as stuck on the dashboards.`,
        ],
        typed: `Log what you've done with /sos <element> <case-id>, or type /sos snooze <case-id> to leave a case out of these reminders for ${view.snoozeDays} days.`,
      },
    ]);
  }

  // The team digest. A quiet week drops the tables and the picture, never the stuck cases or those
  // raised to the supervisor: a quiet week is when a supervisor most needs to see which are stuck.
  head.push({ kind: "title", title: view.title, window: view.window }, ...late(view.late));
  head.push(
    view.quiet
      ? { kind: "quiet", text: quietLine(view.headline) }
      : { kind: "headline", text: view.headline },
  );
  const leavers = leaversLine(view.leavers);
  if (leavers) head.push({ kind: "warning", text: leavers });

  const body: DigestPart[] = [];
  if (!view.quiet) {
    body.push({ kind: "table", table: view.coverage, bold: [] });
    if (view.newCases.length > 0)
      body.push({ kind: "cases", title: counted("New cases", view.newCases.length), entries: view.newCases });
    if (view.closedCases.length > 0)
      body.push({
        kind: "cases",
        title: counted("Closed cases", view.closedCases.length),
        entries: view.closedCases,
      });
    const moved = [
      ["Transferred in", view.transfersIn ?? []],
      ["Transferred out", view.transfersOut ?? []],
    ] as const;
    for (const [title, entries] of moved)
      if (entries.length > 0) body.push({ kind: "cases", title: counted(title, entries.length), entries });
  }
  // Raised cases are stuck cases too: each is listed once, under the heading that says more.
  const raised = new Set(view.raised.map((i) => i.caseId));
  const others = view.stuck.filter((i) => !raised.has(i.caseId));
  if (view.raised.length > 0)
    body.push({
      kind: "stuck",
      title: counted("Raised to the supervisor: stuck a long time", view.raised.length),
      raised: true,
      entries: view.raised.map((i) => stuckEntry(i, true)),
    });
  if (view.stuck.length === 0) body.push({ kind: "none", text: "Stuck cases: none." });
  else if (others.length > 0)
    body.push({
      kind: "stuck",
      title: counted(view.raised.length > 0 ? "Other stuck cases" : "Stuck cases", others.length),
      raised: false,
      entries: others.map((i) => stuckEntry(i, true)),
    });
  if (!view.quiet)
    body.push({
      kind: "dashboards",
      intro: `${view.team}, ${view.window}: the team dashboard.`,
      views: view.dashboards,
    });
  return doc([...head, ...body], !view.quiet);
}

/** Spans as plain words. */
export function plain(spans: readonly Span[]): string {
  return spans.map((s) => (typeof s === "string" ? s : s.strong)).join("");
}
