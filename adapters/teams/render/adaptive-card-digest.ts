import type { Picture } from "../../../src/digest/post.ts";
import type {
  AgencySummaryView,
  DigestView,
  NudgeView,
  TableBlock as TableView,
  TeamDigestView,
} from "../../../src/digest/views.ts";
import { coverageTable } from "../../../src/digest/views.ts";
import type { StuckItem } from "../../../src/render/view.ts";
import { dashboardCard, dashboardPages } from "./adaptive-card.ts";
import {
  type AdaptiveCard,
  action,
  type CardElement,
  type Color,
  type Container,
  card,
  type ExecuteAction,
  type Image,
  table,
  text,
  VERB,
} from "./adaptive-card-kit.ts";

/**
 * The digests as Adaptive Cards (1.5) for Teams. Teams takes about 28 KB per message, so a digest
 * is a sequence of cards: the team digest's first card holds the headline, the coverage table, the
 * whiteboard picture when it fits, and what fits of the lists; further cards the rest of the lists;
 * then the team dashboard page by page as `dashboardCard` pages it everywhere else. The agency
 * summary packs its four tables (wide ones cut into row chunks). A nudge card lists the person's
 * stuck cases, each with Log… and Snooze buttons beside it.
 */

/** Bytes of body per card: the fallback text, the card's own fields and the activity take the rest. */
export const CARD_BODY_BYTES = 20_000;

/**
 * A card carrying the whiteboard picture may grow to this many bytes; a picture that would take
 * the card past it is not embedded. Teams documents about 28 KB per bot message, activity included;
 * some paths are reported to stop at 25 KB, so the card stays under that with the activity around it.
 */
export const PICTURE_CARD_BYTES = 24_000;

/** Bytes of one table element at most: big tables go on in further tables, "(continued)". */
const TABLE_BYTES = 9_000;

/** Stuck cases per nudge card: each carries two buttons whose data names the card's cases. */
export const NUDGE_ITEMS_PER_CARD = 10;

export const LATE_LINE = "Posted late: the app was not running at the scheduled time.";

export const PICTURE_ELSEWHERE =
  "The whiteboard picture is too large to show in Teams; it is in the export: `sos export --format png`.";

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

export interface DigestCardOptions {
  /** carried by the nudge buttons, so a double click is one snooze */
  readonly nonce: string;
  readonly picture?: Picture;
}

export function digestCards(view: DigestView, opts: DigestCardOptions): AdaptiveCard[] {
  if (view.kind === "team") return teamDigestCards(view, opts.picture);
  if (view.kind === "agency") return agencySummaryCards(view);
  return nudgeCards(view, { nonce: opts.nonce });
}

// ---- packing -------------------------------------------------------------------------------------

/** Elements that belong together (a heading and the start of its list). */
type Unit = readonly CardElement[];

/**
 * Fills cards with units in order: the first card starts with `first`, each later one with
 * `more(i)`; a card is closed when the next unit would take its body past `CARD_BODY_BYTES`.
 */
function pack(first: Unit, units: readonly Unit[], more: () => CardElement[]): CardElement[][] {
  const cards: CardElement[][] = [];
  let body: CardElement[] = [...first];
  let size = bytes(body);
  for (const u of units) {
    const need = bytes(u);
    if (body.length > 0 && size + need > CARD_BODY_BYTES) {
      cards.push(body);
      body = more();
      size = bytes(body);
    }
    body.push(...u);
    size += need;
  }
  cards.push(body);
  return cards;
}

const heading = (s: string) => text(s, { size: "Medium", weight: "Bolder", style: "heading" });
const subtle = (s: string) => text(s, { size: "Small", isSubtle: true, spacing: "Small" });

/**
 * A table view as table elements of at most `TABLE_BYTES` each, the header row on every one, its
 * title above the first and "(continued)" above the others, the note under the last. Rows in
 * `bold` (by index) are bold; the first column is wider when `wideFirst`.
 */
function tableUnits(t: TableView, opts: { bold?: ReadonlySet<number>; wideFirst?: boolean } = {}): Unit[] {
  const widths = t.columns.map((_, i) => (i === 0 && opts.wideFirst ? 2 : 1));
  const row = (r: readonly string[], i: number) => (opts.bold?.has(i) ? { cells: r, bold: true } : r);
  const units: CardElement[][] = [];
  let rows: ReturnType<typeof row>[] = [];
  const flush = () => {
    const title = units.length === 0 ? t.title : `${t.title} (continued)`;
    units.push([text(title, { weight: "Bolder", spacing: "Medium" }), table(t.columns, rows, widths)]);
    rows = [];
  };
  const empty = bytes(table(t.columns, [], widths));
  let size = empty;
  t.rows.forEach((r, i) => {
    const one = bytes(table([], [row(r, i)]));
    if (rows.length > 0 && size + one > TABLE_BYTES) {
      flush();
      size = empty;
    }
    rows.push(row(r, i));
    size += one;
  });
  if (t.rows.length === 0)
    units.push([text(t.title, { weight: "Bolder", spacing: "Medium" }), subtle("None.")]);
  else flush();
  if (t.note) units[units.length - 1]!.push(subtle(t.note));
  return units;
}

/** Adds "(part i of n)" to each card's first line, when there is more than one card. */
function parts(bodies: CardElement[][], fallback: (i: number) => string): AdaptiveCard[] {
  return bodies.map((body, i) => {
    const [first, ...rest] = body;
    const lead =
      bodies.length > 1 && first?.type === "TextBlock"
        ? { ...first, text: `${first.text} (part ${i + 1} of ${bodies.length})` }
        : first!;
    return card([lead, ...rest], fallback(i), { wide: true });
  });
}

// ---- the team digest -------------------------------------------------------------------------------

/** An Image of the PNG as a data URI, or null when it would take the card past `PICTURE_CARD_BYTES`. */
export function pictureImage(picture: Picture, cardBytes: number): Image | null {
  const image: Image = {
    type: "Image",
    url: `data:image/png;base64,${picture.png.toString("base64")}`,
    altText: picture.title,
    size: "Auto",
    spacing: "Medium",
  };
  return cardBytes + bytes(image) + 1 <= PICTURE_CARD_BYTES ? image : null;
}

function stuckContainer(item: StuckItem, withWorker: boolean): Container {
  const child = item.child === item.caseId ? "" : ` ${item.child}`;
  const who = withWorker ? ` · ${item.worker}` : "";
  return {
    type: "Container",
    separator: true,
    spacing: "Small",
    items: [
      text(`**${item.caseId}**${child}${who} · ${item.dashboard}`),
      ...item.findings.map((f) =>
        text(
          `- ${f.reason}: stuck ${f.days === 0 ? "since today" : `${f.days} day${f.days === 1 ? "" : "s"} (since ${f.since})`}`,
          { spacing: "None", color: "Attention" },
        ),
      ),
    ],
  };
}

function listUnits(title: string, entries: readonly CardElement[], color?: Color): Unit[] {
  const head = text(title, { weight: "Bolder", spacing: "Medium", ...(color ? { color } : {}) });
  return entries.map((e, i) => (i === 0 ? [head, e] : [e]));
}

export function teamDigestCards(v: TeamDigestView, picture?: Picture): AdaptiveCard[] {
  const lateBlock = text(`⚠ ${LATE_LINE}`, { color: "Warning", weight: "Bolder" });
  if (v.quiet) {
    const line = `**${v.title}**, ${v.window}: Nothing changed this week: no practice logged, no new and no closed cases. ${v.headline}.`;
    return [card([text(line), ...(v.late ? [lateBlock] : [])], line.replace(/\*\*/g, ""))];
  }
  const head: CardElement[] = [heading(v.title), subtle(v.window)];
  if (v.late) head.push(lateBlock);
  head.push(text(v.headline, { weight: "Bolder", spacing: "Medium" }));
  const [coverage, ...coverageMore] = tableUnits(v.coverage, { wideFirst: true });
  head.push(...coverage!, ...coverageMore.flat());
  if (picture) {
    const image = pictureImage(picture, bytes(card(head, "x".repeat(2000), { wide: true })));
    head.push(image ?? text(PICTURE_ELSEWHERE, { isSubtle: true, spacing: "Medium" }));
  }

  const units: Unit[] = [];
  const caseList = (title: string, list: readonly string[]) => {
    if (list.length > 0)
      units.push(
        ...listUnits(
          `${title} (${list.length})`,
          list.map((c) => text(`- ${c}`, { spacing: "None" })),
        ),
      );
  };
  caseList("New cases", v.newCases);
  caseList("Closed cases", v.closedCases);
  // Raised cases are stuck cases too: listed once, under the heading that says more.
  const raised = new Set(v.raised.map((i) => i.caseId));
  const others = v.stuck.filter((i) => !raised.has(i.caseId));
  if (v.raised.length > 0) {
    const title = `Raised to the supervisor: stuck a long time (${v.raised.length})`;
    units.push(
      ...listUnits(
        title,
        v.raised.map((i) => stuckContainer(i, true)),
        "Attention",
      ),
    );
  }
  if (v.stuck.length === 0) units.push([text("Stuck cases: none.", { weight: "Bolder", spacing: "Medium" })]);
  else if (others.length > 0) {
    const title = `${v.raised.length > 0 ? "Other stuck cases" : "Stuck cases"} (${others.length})`;
    units.push(
      ...listUnits(
        title,
        others.map((i) => stuckContainer(i, true)),
      ),
    );
  }

  const bodies = pack(head, units, () => [heading(`${v.title} (continued)`), subtle(v.window)]);
  const fallback = `${v.title}, ${v.window}. ${v.headline}.`;
  const lists = bodies.map((body, i) =>
    card(body, i === 0 ? `${fallback}${v.late ? ` ${LATE_LINE}` : ""}` : `${v.title} (continued)`, {
      wide: true,
    }),
  );
  const pages = dashboardPages(v.dashboards);
  const intro = `${v.team}, ${v.window}: the team dashboard.`;
  const boards = pages.map((_, i) =>
    dashboardCard({ ok: true, text: intro, dashboards: v.dashboards }, { nonce: "", page: i + 1 }),
  );
  return [...lists, ...boards];
}

// ---- the agency summary ----------------------------------------------------------------------------

export function agencySummaryCards(v: AgencySummaryView): AdaptiveCard[] {
  const c = v.coverage;
  const coverage = coverageTable(c);
  const head: CardElement[] = [heading(v.title), subtle(v.window)];
  if (v.late) head.push(text(`⚠ ${LATE_LINE}`, { color: "Warning", weight: "Bolder" }));
  const last = (t: TableView) => new Set([t.rows.length - 1]);
  const units = [
    ...tableUnits(coverage, { bold: last(coverage), wideFirst: true }),
    ...tableUnits(v.trend, { wideFirst: true }),
    ...tableUnits(v.stuckCounts, { bold: last(v.stuckCounts), wideFirst: true }),
    ...tableUnits(v.outcomes, { wideFirst: true }),
  ];
  const bodies = pack(head, units, () => [heading(v.title), subtle(v.window)]);
  return parts(bodies, (i) => (i === 0 ? `${v.title}, ${v.window}.` : `${v.title} (continued)`));
}

// ---- a worker's nudge ------------------------------------------------------------------------------

export interface NudgeCardOptions {
  readonly nonce: string;
  /** a line in place of a case's buttons: what its Snooze did, or why it could not */
  readonly notes?: ReadonlyMap<string, { readonly text: string; readonly tone: "good" | "problem" }>;
  /** cases the card listed that are no longer stuck (or no longer the person's) */
  readonly gone?: readonly string[];
}

function nudgeButtons(item: StuckItem, v: NudgeView, nonce: string, cases: string): ExecuteAction[] {
  return [
    action("Log…", VERB.nudgeLog, { caseId: item.caseId, nonce }, { style: "positive" }),
    action(`Snooze ${v.snoozeDays} days`, VERB.snooze, {
      caseId: item.caseId,
      days: v.snoozeDays,
      cases,
      nonce,
    }),
  ];
}

export function nudgeCards(v: NudgeView, opts: NudgeCardOptions): AdaptiveCard[] {
  const chunks: StuckItem[][] = [];
  for (let i = 0; i < v.items.length; i += NUDGE_ITEMS_PER_CARD)
    chunks.push(v.items.slice(i, i + NUDGE_ITEMS_PER_CARD));
  if (chunks.length === 0) chunks.push([]);
  const help = `**Log…** opens the form on that case. **Snooze ${v.snoozeDays} days** leaves the case out of these reminders for ${v.snoozeDays} days; it still shows as stuck on the dashboards.`;
  return chunks.map((items, i) => {
    const part = chunks.length > 1 ? ` (part ${i + 1} of ${chunks.length})` : "";
    const cases = items.map((x) => x.caseId).join(" ");
    const body: CardElement[] = [heading(`${v.worker}: ${v.title}.${part}`)];
    if (items.length === 0) body.push(text("None of your cases is stuck now.", { color: "Good" }));
    for (const item of items) {
      const note = opts.notes?.get(item.caseId);
      const c = stuckContainer(item, false);
      const after: CardElement = note
        ? text(note.text, { color: note.tone === "good" ? "Good" : "Attention", weight: "Bolder" })
        : { type: "ActionSet", actions: nudgeButtons(item, v, opts.nonce, cases), spacing: "Small" };
      body.push({ ...c, items: [...c.items, after] });
    }
    if (i === chunks.length - 1 && opts.gone && opts.gone.length > 0)
      body.push(text(`No longer stuck: ${opts.gone.join(", ")}.`, { color: "Good", spacing: "Medium" }));
    body.push(subtle(help));
    const fallback = `${v.worker}: ${v.title}.${part} ${items.map((x) => x.caseId).join(", ")}. Type sos snooze <case-id> to leave a case out of these reminders for ${v.snoozeDays} days.`;
    return card(body, fallback);
  });
}

// ---- a preview -------------------------------------------------------------------------------------

function previewBanner(view: DigestView): string {
  if (view.kind === "nudge") return "Preview of the reminder you would get today: nothing was sent.";
  if (view.kind === "team") return "Preview: nothing was posted. Names as the team's channel will see them.";
  return "Preview: nothing was posted.";
}

/**
 * A digest preview: one of the digest's cards at a time, exactly as it would be posted, under a
 * line saying it is a preview, with Previous and Next parts that run the command again.
 */
export function digestPreviewCard(
  view: DigestView,
  opts: { nonce: string; command?: string; page?: number },
): AdaptiveCard {
  const cards = digestCards(view, { nonce: opts.nonce });
  const n = Math.min(Math.max(1, opts.page ?? 1), cards.length);
  const shown = cards[n - 1]!;
  const where = cards.length > 1 ? ` Part ${n} of ${cards.length}.` : "";
  const actions: ExecuteAction[] = [...(shown.actions ?? [])];
  if (opts.command !== undefined && cards.length > 1) {
    if (n > 1) actions.push(action("Previous part", VERB.page, { command: opts.command, page: n - 1 }));
    if (n < cards.length)
      actions.push(action("Next part", VERB.page, { command: opts.command, page: n + 1 }));
  }
  const banner = text(`${previewBanner(view)}${where}`, { color: "Accent", weight: "Bolder" });
  return card([banner, ...shown.body], `${previewBanner(view)}\n${shown.fallbackText}`, {
    actions,
    wide: shown.msteams?.width === "Full",
  });
}
