/**
 * How wide a card's text is, for choosing a layout that reads on a phone. Teams gives a bot no way to
 * know which client will draw a card, and draws the same card on a 360 px phone as on a desktop: a
 * card that reads on the phone reads everywhere. So a table goes in a card only when every column
 * is at least as wide as the longest unbreakable piece of text in it at that width; otherwise each
 * row becomes a block of its own (label → value).
 *
 * The numbers are Teams' host config as the Microsoft 365 Agents Playground ships it (Segoe UI,
 * `Small` 12 px, `Default` 14 px, card padding 16 px, fact titles at most 150 px and 16 px from the
 * value) and the Adaptive Cards reference renderer's table (columns share the width by weight, each
 * cell padded by 8 px a side inside a 1 px rule). Character widths are estimates of Segoe UI's
 * advances, on the wide side; tests hold every card to this model.
 */

export type TextSize = "Small" | "Default" | "Medium" | "Large";

/** A 360 px phone screen, 8 px of margin each side of the message, 16 px of card padding each side. */
export const PHONE_CARD_PX = 360 - 2 * 8 - 2 * 16;

export const FONT_PX: Readonly<Record<TextSize, number>> = { Small: 12, Default: 14, Medium: 14, Large: 18 };

/** A bordered table cell: `Small` (8 px) padding each side and its 1 px rule. */
export const TABLE_CELL_PAD_PX = 2 * 8 + 1;

/** A FactSet's title column is at most this wide; the value starts this far after it. */
export const FACT_TITLE_MAX_PX = 150;
export const FACT_GAP_PX = 16;

// Advance widths in em, grouped: the few narrow and wide letters, then the rest by kind.
const NARROW = new Set("iIjlt.,:;'!|()[]{} ");
const WIDE = new Set("mwMW@%&");

/**
 * One character's advance, by its code point. Compared as numbers, not by regular expression: a
 * 400-case dashboard card measures every cell, and with a regex per character the width model was
 * 18% of the server's main-thread CPU under Teams load (bench/http-load.ts, SOS_BENCH_PROFILE).
 */
function emOf(code: number, ch: string): number {
  if (NARROW.has(ch)) return 0.3;
  if (WIDE.has(ch)) return 0.9;
  if (code === 0x2f || code === 0x2d || code === 0x2a) return 0.42; // / - *
  if (code >= 0x30 && code <= 0x39) return 0.56; // 0-9
  if (code >= 0x61 && code <= 0x7a) return 0.54; // a-z
  if (code >= 0x41 && code <= 0x5a) return 0.66; // A-Z
  // anything else (accented letters, symbols, emoji) as a wide letter
  return 0.8;
}

const charEm = (ch: string): number => emOf(ch.codePointAt(0) ?? 0, ch);

/** The width of text on one line, in px. */
export function textPx(s: string, size: TextSize = "Default", bold = false): number {
  let em = 0;
  for (const ch of s) em += charEm(ch);
  return em * FONT_PX[size] * (bold ? 1.06 : 1);
}

/**
 * The pieces a line may not break inside: text between spaces, and a word joined by a slash to a
 * following letter ("Conferences/Meetings") breaks after the slash, as browsers break lines. A date
 * (`15/02/16`) or a count (`6/6`) never breaks: a slash before a digit joins.
 */
export function unbreakable(s: string): string[] {
  return s
    .split(/\s+/)
    .flatMap((w) => w.split(/(?<=\/)(?=[^\d\s])/))
    .filter((w) => w.length > 0);
}

const SPACE = /\s/;

/**
 * The widest of `unbreakable(s)`, in px, measured in one pass without building the pieces: each
 * piece's advances are summed in the same order as `textPx` would, so the answer is the same number.
 */
export function longestPiecePx(s: string, size: TextSize = "Default", bold = false): number {
  let widest = 0;
  let em = 0;
  let slash = false;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    // A space ends a piece; so does a slash before anything but a digit (or a space).
    const space = code === 0x20 || (code > 0x7f || code < 0x21 ? SPACE.test(ch) : false);
    if (space || (slash && !(code >= 0x30 && code <= 0x39))) {
      if (em > widest) widest = em;
      em = 0;
    }
    slash = code === 0x2f;
    if (!space) em += emOf(code, ch);
  }
  if (em > widest) widest = em;
  return widest * FONT_PX[size] * (bold ? 1.06 : 1);
}

/** The width each column of a table gets for its text, by weight. */
export function columnPx(weights: readonly number[], width: number = PHONE_CARD_PX): number[] {
  const total = weights.reduce((n, w) => n + w, 0);
  return weights.map((w) => (width * w) / total - TABLE_CELL_PAD_PX);
}

/** A cell too narrow for what it holds: the column, its room and the piece that does not fit. */
export interface Squeeze {
  readonly column: number;
  readonly room: number;
  readonly text: string;
  readonly need: number;
}

/**
 * Where a table of text would break a word at `width` (the header row bold), or nothing when every
 * column holds its longest piece. Sizes as the card draws them: `Small` throughout.
 */
export function tableSqueezes(
  rows: readonly (readonly string[])[],
  weights: readonly number[],
  width: number = PHONE_CARD_PX,
  boldRows: ReadonlySet<number> = new Set([0]),
): Squeeze[] {
  const room = columnPx(weights, width);
  const out: Squeeze[] = [];
  rows.forEach((r, ri) => {
    r.forEach((text, ci) => {
      const need = longestPiecePx(text, "Small", boldRows.has(ri));
      if (need > room[ci]!) out.push({ column: ci, room: room[ci]!, text, need });
    });
  });
  return out;
}

/**
 * Column weights that give each column room for its longest piece and its padding, or null when
 * even that is wider than `width`: then no weighting lets the table read there. Every cell is
 * measured as bold (a header, a total row), which errs on the side of the blocks.
 *
 * A column's need only grows as rows are measured, so the answer is null as soon as the needs so
 * far pass `width`: the seed's dashboards (11-14 columns) are too wide by their header row, and
 * their 400 rows are not measured (that was ~10% of a Teams message's main-thread CPU under load).
 */
export function fittingWeights(
  rows: readonly (readonly string[])[],
  width: number = PHONE_CARD_PX,
): number[] | null {
  let n = 0;
  for (const r of rows) if (r.length > n) n = r.length;
  const widest = new Array<number>(n).fill(0);
  const need = widest.map(() => Math.ceil(TABLE_CELL_PAD_PX));
  let total = need.reduce((a, b) => a + b, 0);
  if (total > width) return null;
  for (const r of rows) {
    for (let ci = 0; ci < r.length; ci++) {
      const px = longestPiecePx(r[ci] ?? "", "Small", true);
      if (px <= widest[ci]!) continue;
      widest[ci] = px;
      const now = Math.ceil(px + TABLE_CELL_PAD_PX);
      total += now - need[ci]!;
      need[ci] = now;
      if (total > width) return null;
    }
  }
  return need;
}

/** Where a FactSet would break a word at `width`: titles bold at `Default`, values at `Default`. */
export function factSqueezes(
  facts: readonly { readonly title: string; readonly value: string }[],
  width: number = PHONE_CARD_PX,
): Squeeze[] {
  const titleCol = Math.min(
    FACT_TITLE_MAX_PX,
    Math.max(0, ...facts.map((f) => textPx(f.title, "Default", true))),
  );
  const valueCol = width - titleCol - FACT_GAP_PX;
  const out: Squeeze[] = [];
  for (const f of facts) {
    const t = longestPiecePx(f.title, "Default", true);
    if (t > titleCol) out.push({ column: 0, room: titleCol, text: f.title, need: t });
    const v = longestPiecePx(f.value);
    if (v > valueCol) out.push({ column: 1, room: valueCol, text: f.value, need: v });
  }
  return out;
}
