import {
  type DigestDoc,
  type DigestPart,
  digestParts,
  type Span,
  type StuckEntry,
} from "../../../src/digest/parts.ts";
import type { Picture } from "../../../src/digest/post.ts";
import type {
  AgencySummaryView,
  DigestView,
  NudgeView,
  TableBlock as TableView,
  TeamDigestView,
} from "../../../src/digest/views.ts";
import { previewBanner } from "../../../src/digest/words.ts";
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
  records,
  table,
  text,
  VERB,
} from "./adaptive-card-kit.ts";
import { fittingWeights } from "./card-width.ts";

/**
 * The digests as Adaptive Cards (1.5) for Teams: a layout of the parts `digestParts` decides, saying
 * nothing of its own. Teams takes about 28 KB per message, so a digest
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

/**
 * Room kept in the first card of a team digest for the whiteboard picture, whatever its size: the
 * lists after it then fall into the same cards with any picture, or none, so a digest resumed
 * after a stop (with its picture drawn again) goes on with exactly the cards it had left.
 */
export const PICTURE_ROOM_BYTES = 12_000;

/** Bytes of one table element at most: big tables go on in further tables, "(continued)". */
const TABLE_BYTES = 9_000;

/** Stuck cases per nudge card: each carries two buttons whose data names the card's cases. */
export const NUDGE_ITEMS_PER_CARD = 10;

export const PICTURE_ELSEWHERE =
  "The whiteboard picture is too large to show in Teams; it is in the export: `sos export --format png`.";

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

export interface DigestCardOptions {
  /** carried by the nudge buttons, so a double click is one snooze */
  readonly nonce: string;
  readonly picture?: Picture;
}

export function digestCards(view: DigestView, opts: DigestCardOptions): AdaptiveCard[] {
  return docCards(digestParts(view), opts);
}

/** A digest's parts as cards, laid out for its kind. */
export function docCards(doc: DigestDoc, opts: DigestCardOptions): AdaptiveCard[] {
  if (doc.kind === "team") return teamLayout(doc, opts.picture);
  if (doc.kind === "agency") return agencyLayout(doc);
  return nudgeLayout(doc, { nonce: opts.nonce });
}

// ---- packing -------------------------------------------------------------------------------------

/** Elements that belong together (a heading and the start of its list). */
type Unit = readonly CardElement[];

/**
 * Fills cards with units in order: the first card starts with `first`, each later one with
 * `more(i)`; a card is closed when the next unit would take its body past `CARD_BODY_BYTES` (less
 * `firstRoom` in the first card).
 */
function pack(
  first: Unit,
  units: readonly Unit[],
  more: () => CardElement[],
  firstRoom = 0,
): CardElement[][] {
  const cards: CardElement[][] = [];
  let body: CardElement[] = [...first];
  let size = bytes(body) + firstRoom;
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
 * `bold` (by index) are bold; columns are as wide as what they hold. A table that would not
 * read on a phone (`card-width.ts`) goes as its rows, each a block of label → value, in the same
 * chunks.
 */
function tableUnits(t: TableView, opts: { bold?: ReadonlySet<number> } = {}): Unit[] {
  const row = (r: readonly string[], i: number) => (opts.bold?.has(i) ? { cells: r, bold: true } : r);
  const widths = fittingWeights([t.columns, ...t.rows]);
  const fits = widths !== null;
  const draw = (rs: readonly ReturnType<typeof row>[]): CardElement[] =>
    widths ? [table(t.columns, rs, widths)] : records(t.columns, rs);
  const units: CardElement[][] = [];
  let rows: ReturnType<typeof row>[] = [];
  const flush = () => {
    const title = units.length === 0 ? t.title : `${t.title} (continued)`;
    units.push([text(title, { weight: "Bolder", spacing: "Medium" }), ...draw(rows)]);
    rows = [];
  };
  const empty = bytes(draw([]));
  let size = empty;
  t.rows.forEach((r, i) => {
    const one = fits ? bytes(table([], [row(r, i)])) : bytes(records(t.columns, [row(r, i)]));
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

// ---- parts as card elements -----------------------------------------------------------------------

function spansMarkdown(spans: readonly Span[]): string {
  return spans.map((x) => (typeof x === "string" ? x : `**${x.strong}**`)).join("");
}

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

/** A stuck case: the case in bold with its holder and dashboard, then each rule it breaks. */
function stuckContainer(e: StuckEntry): Container {
  const child = e.child === null ? "" : ` ${e.child}`;
  return {
    type: "Container",
    separator: true,
    spacing: "Small",
    items: [
      text([`**${e.caseId}**${child}`, ...e.about].join(" · ")),
      ...e.findings.map((f) => text(`- ${f}`, { spacing: "None", color: "Attention" })),
    ],
  };
}

function listUnits(title: string, entries: readonly CardElement[], color?: Color): Unit[] {
  const head = text(title, { weight: "Bolder", spacing: "Medium", ...(color ? { color } : {}) });
  return entries.map((e, i) => (i === 0 ? [head, e] : [e]));
}

/** The one-line parts as card elements; null for the others. */
function lineElement(p: DigestPart): CardElement | null {
  switch (p.kind) {
    case "late":
      return text(`⚠ ${p.text}`, { color: "Warning", weight: "Bolder" });
    case "headline":
      return text(p.text, { weight: "Bolder", spacing: "Medium" });
    case "quiet":
      return text(p.text, { spacing: "Small" });
    case "warning":
      return text(`⚠ ${p.text}`, { color: "Warning", spacing: "Medium" });
    case "none":
      return text(p.text, { weight: "Bolder", spacing: "Medium" });
    case "lead":
      return heading(spansMarkdown(p.spans).replace(/\*\*/g, ""));
    case "help":
      return subtle(spansMarkdown(p.spans));
    default:
      return null;
  }
}

/** A list part as units to pack. */
function listOf(p: Extract<DigestPart, { kind: "cases" | "stuck" }>): Unit[] {
  if (p.kind === "cases")
    return listUnits(
      p.title,
      p.entries.map((c) => text(`- ${c}`, { spacing: "None" })),
    );
  return listUnits(p.title, p.entries.map(stuckContainer), p.raised ? "Attention" : undefined);
}

// ---- the team digest -------------------------------------------------------------------------------

function teamLayout(doc: DigestDoc, picture?: Picture): AdaptiveCard[] {
  let title = "";
  let window = "";
  let late: string | null = null;
  let lead = "";
  const head: CardElement[] = [];
  const units: Unit[] = [];
  let boards: AdaptiveCard[] = [];
  for (const p of doc.parts) {
    if (p.kind === "title") {
      title = p.title;
      window = p.window;
      head.push(heading(p.title), subtle(p.window));
    } else if (p.kind === "table") head.push(...tableUnits(p.table).flat());
    else if (p.kind === "cases" || p.kind === "stuck") units.push(...listOf(p));
    else if (p.kind === "none") units.push([lineElement(p)!]);
    else if (p.kind === "dashboards") {
      const pages = dashboardPages(p.views);
      boards = pages.map((_, i) =>
        dashboardCard({ ok: true, text: p.intro, dashboards: p.views }, { nonce: "", page: i + 1 }),
      );
    } else {
      if (p.kind === "late") late = p.text;
      if (p.kind === "headline" || p.kind === "quiet") lead = p.text;
      const line = lineElement(p);
      if (line) head.push(line);
    }
  }
  const withPicture = doc.picture && picture !== undefined;
  const bodies = pack(
    head,
    units,
    () => [heading(`${title} (continued)`), subtle(window)],
    withPicture ? PICTURE_ROOM_BYTES : 0,
  );
  if (withPicture) {
    // After the heading lines and the coverage, before the lists, as on the whiteboard's own page.
    const first = bodies[0]!;
    const image = pictureImage(picture, bytes(card(first, "x".repeat(2000), { wide: true })));
    first.splice(head.length, 0, image ?? text(PICTURE_ELSEWHERE, { isSubtle: true, spacing: "Medium" }));
  }
  const fallback = `${title}, ${window}. ${lead.replace(/\.$/, "")}.${late ? ` ${late}` : ""}`;
  const lists = bodies.map((body, i) =>
    card(body, i === 0 ? fallback : `${title} (continued)`, { wide: true }),
  );
  return [...lists, ...boards];
}

export function teamDigestCards(v: TeamDigestView, picture?: Picture): AdaptiveCard[] {
  return teamLayout(digestParts(v), picture);
}

// ---- the agency summary ----------------------------------------------------------------------------

function agencyLayout(doc: DigestDoc): AdaptiveCard[] {
  let title = "";
  let window = "";
  const head: CardElement[] = [];
  const units: Unit[] = [];
  for (const p of doc.parts) {
    if (p.kind === "title") {
      title = p.title;
      window = p.window;
      head.push(heading(p.title), subtle(p.window));
    } else if (p.kind === "table") units.push(...tableUnits(p.table, { bold: new Set(p.bold) }));
    else {
      const line = lineElement(p);
      if (line) head.push(line);
    }
  }
  const bodies = pack(head, units, () => [heading(title), subtle(window)]);
  return parts(bodies, (i) => (i === 0 ? `${title}, ${window}.` : `${title} (continued)`));
}

export function agencySummaryCards(v: AgencySummaryView): AdaptiveCard[] {
  return agencyLayout(digestParts(v));
}

// ---- a worker's nudge ------------------------------------------------------------------------------

export interface NudgeCardOptions {
  readonly nonce: string;
  /** a line in place of a case's buttons: what its Snooze did, or why it could not */
  readonly notes?: ReadonlyMap<string, { readonly text: string; readonly tone: "good" | "problem" }>;
  /** cases the card listed that are no longer stuck (or no longer the person's) */
  readonly gone?: readonly string[];
}

function nudgeButtons(caseId: string, snoozeDays: number, nonce: string, cases: string): ExecuteAction[] {
  return [
    action("Log…", VERB.nudgeLog, { caseId, nonce }, { style: "positive" }),
    action(`Snooze ${snoozeDays} days`, VERB.snooze, { caseId, days: snoozeDays, cases, nonce }),
  ];
}

function nudgeLayout(doc: DigestDoc, opts: NudgeCardOptions): AdaptiveCard[] {
  let lead: readonly Span[] = [];
  let stuck: Extract<DigestPart, { kind: "stuck" }> | null = null;
  let help: Extract<DigestPart, { kind: "help" }> | null = null;
  const extra: CardElement[] = [];
  for (const p of doc.parts) {
    if (p.kind === "lead") lead = p.spans;
    else if (p.kind === "stuck") stuck = p;
    else if (p.kind === "help") help = p;
    else if (p.kind === "none") extra.push(text(p.text, { color: "Good" }));
    else {
      const line = lineElement(p);
      if (line) extra.push(line);
    }
  }
  const entries = stuck?.entries ?? [];
  const chunks: StuckEntry[][] = [];
  for (let i = 0; i < entries.length; i += NUDGE_ITEMS_PER_CARD)
    chunks.push(entries.slice(i, i + NUDGE_ITEMS_PER_CARD));
  if (chunks.length === 0) chunks.push([]);
  const leadText = spansMarkdown(lead).replace(/\*\*/g, "");
  return chunks.map((items, i) => {
    const part = chunks.length > 1 ? ` (part ${i + 1} of ${chunks.length})` : "";
    const cases = items.map((x) => x.caseId).join(" ");
    const body: CardElement[] = [heading(`${leadText}${part}`), ...extra];
    for (const e of items) {
      const note = opts.notes?.get(e.caseId);
      const c = stuckContainer(e);
      const after: CardElement = note
        ? text(note.text, { color: note.tone === "good" ? "Good" : "Attention", weight: "Bolder" })
        : {
            type: "ActionSet",
            actions: nudgeButtons(e.caseId, stuck?.snoozeDays ?? 0, opts.nonce, cases),
            spacing: "Small",
          };
      body.push({ ...c, items: [...c.items, after] });
    }
    if (i === chunks.length - 1 && opts.gone && opts.gone.length > 0)
      body.push(text(`No longer stuck: ${opts.gone.join(", ")}.`, { color: "Good", spacing: "Medium" }));
    if (help) body.push(lineElement(help)!);
    const fallback = [
      `${leadText}${part}`,
      ...(cases ? [`${items.map((x) => x.caseId).join(", ")}.`] : []),
      help?.typed ?? "",
    ]
      .filter(Boolean)
      .join(" ");
    return card(body, fallback);
  });
}

export function nudgeCards(v: NudgeView, opts: NudgeCardOptions): AdaptiveCard[] {
  return nudgeLayout(digestParts(v), opts);
}

// ---- a preview -------------------------------------------------------------------------------------

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
