import { initials } from "../domain/names.ts";
import { escapeXml, FONT_FAMILY, fitText, type SvgText, textWidth } from "./svg-text.ts";
import { ALERT, FILL, INK, MARKERS, MUTED, RULE, summaryLine, whiteboardAlt } from "./whiteboard-style.ts";
import type { CellStatus, WhiteboardModel, WhiteboardRow } from "./whiteboard-view.ts";

/** one band per element, then one per marker (stuck with nothing missing): a label and a cell's state */
interface Band {
  readonly label: string;
  readonly alert: boolean;
  status(r: WhiteboardRow): CellStatus;
}

function bandsOf(m: WhiteboardModel): Band[] {
  return [
    ...m.columns.map((c, i) => ({
      label: c.heading.join(" "),
      alert: false,
      status: (r: WhiteboardRow) => r.cells[i]!,
    })),
    ...MARKERS.map((k) => ({
      label: k.label[0]!.toUpperCase() + k.label.slice(1),
      alert: true,
      status: (r: WhiteboardRow): CellStatus => (r[k.key] === null ? "missing" : "stuck"),
    })),
  ];
}

/**
 * The small whiteboard for a Teams card. A card is wide and short and its whole payload is limited
 * (~28 KB, the picture inlined as base64), so the board is turned on its side: one band per element,
 * one thin column per case, cases grouped by worker with a gap between workers. No child is named:
 * the card's text lists the stuck cases. Flat fills, no marks (too small to see), whole pixels and runs
 * of equal cells merged, so the PNG compresses to a few KB.
 */

const PAD = 8;
const BAND_H = 9;
const BAND_GAP = 2;
const SIZE = 9;
/** the grid is at most this wide: a case gets 16 px when few, down to 1 px for a very big team */
const MAX_GRID = 800;
const MAX_CASE_W = 16;
const TOP = PAD + 30;
const KEY: readonly { status: CellStatus; label: string }[] = [
  { status: "done", label: "done" },
  { status: "missing", label: "not done yet" },
  { status: "stuck", label: "stuck" },
  { status: "na", label: "not on the case's own dashboard" },
];

export function compactLayout(m: WhiteboardModel) {
  const groups = m.groups.filter((g) => g.rows.length > 0);
  const n = m.counts.cases;
  const caseW = n === 0 ? 0 : Math.max(1, Math.min(MAX_CASE_W, Math.floor(MAX_GRID / n)));
  const gap = caseW >= 4 ? 4 : 3;
  const gridW = n * caseW + Math.max(0, groups.length - 1) * gap;
  const bands = bandsOf(m);
  const labelW = Math.ceil(Math.max(...bands.map((b) => textWidth(b.label, SIZE))) + 8);
  const bandsH = bands.length * (BAND_H + BAND_GAP);
  const keyW = KEY.reduce((w, k) => w + 14 + textWidth(k.label, SIZE) + 12, 0);
  const width = Math.ceil(Math.max(PAD * 2 + labelW + Math.max(gridW, 120), PAD * 2 + keyW, 320));
  // bands, a line of worker names, the key
  const height = TOP + bandsH + 14 + 18 + PAD - 4;
  return { width, height, caseW, gap, gridW, labelW, bandsH, groups, bands };
}

export function compactSvg(m: WhiteboardModel, t: SvgText): string {
  const L = compactLayout(m);
  const out: string[] = [];
  const gx = PAD + L.labelW;
  out.push(
    t.draw(fitText(`${m.title} · ${summaryLine(m)}`, 11, L.width - 2 * PAD), PAD, PAD + 10, {
      size: 11,
      bold: true,
    }),
  );

  out.push(t.draw("One column per case, grouped by worker", PAD, PAD + 23, { size: SIZE, fill: MUTED }));

  const bandY = (b: number) => TOP + b * (BAND_H + BAND_GAP);
  L.bands.forEach((b, i) => {
    out.push(t.draw(b.label, PAD, bandY(i) + BAND_H - 1, { size: SIZE, fill: b.alert ? ALERT : INK }));
  });
  if (m.counts.cases === 0) {
    out.push(t.draw("No open cases.", gx, bandY(0) + BAND_H - 1, { size: SIZE, fill: MUTED }));
  }

  // Each band framed, white inside (not done yet); done, stuck and n/a drawn over it in runs.
  const rects: string[] = [];
  let x = gx;
  const names: string[] = [];
  for (const g of L.groups) {
    const w = g.rows.length * L.caseW;
    L.bands.forEach((band, b) => {
      const y = bandY(b);
      rects.push(`<rect x="${x}" y="${y}" width="${w}" height="${BAND_H}" fill="#fff"/>`);
      let from = 0;
      for (let i = 1; i <= g.rows.length; i++) {
        const s = band.status(g.rows[from]!);
        if (i < g.rows.length && band.status(g.rows[i]!) === s) continue;
        if (s !== "missing")
          rects.push(
            `<rect x="${x + from * L.caseW}" y="${y}" width="${(i - from) * L.caseW}" height="${BAND_H}" fill="${FILL[s]}"/>`,
          );
        from = i;
      }
    });
    // the worker's name under their cases when it fits, else their initials, else nothing (a cut
    // name could be anyone's)
    const name = [g.worker, initials(g.worker)].find((n) => textWidth(n, SIZE) <= w);
    if (name) names.push(t.draw(name, x, TOP + L.bandsH + 9, { size: SIZE, fill: MUTED }));
    x += w + L.gap;
  }
  if (L.groups.length > 0)
    out.push(
      `<rect x="${gx - 1}" y="${TOP - 1}" width="${L.gridW + 2}" height="${L.bandsH - BAND_GAP + 2}" fill="${RULE}"/>`,
      `<g shape-rendering="crispEdges">${rects.join("")}</g>`,
    );
  out.push(...names);

  // The key: a swatch and a word for each fill.
  let kx = PAD;
  const ky = TOP + L.bandsH + 14;
  for (const k of KEY) {
    out.push(
      `<rect x="${kx}" y="${ky}" width="10" height="10" fill="${FILL[k.status]}" stroke="${RULE}" shape-rendering="crispEdges"/>`,
    );
    out.push(t.draw(k.label, kx + 14, ky + 9, { size: SIZE, fill: INK }));
    kx += 14 + textWidth(k.label, SIZE) + 12;
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" role="img" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(whiteboardAlt(m, "compact"))}</title>`,
    `<defs>${t.defs()}</defs>`,
    `<rect width="${L.width}" height="${L.height}" fill="#fff"/>`,
    ...out,
    "</svg>",
  ].join("\n");
}
