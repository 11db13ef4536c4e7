import {
  CAP_HEIGHT,
  escapeXml,
  FONT_FAMILY,
  fitText,
  SvgText,
  type TextMode,
  textWidth,
} from "./svg-text.ts";
import { CellPaths } from "./whiteboard-cells.ts";
import { compactSvg } from "./whiteboard-compact.ts";
import { ALERT, LEGEND, MARKERS, MUTED, RULE, summaryLine, whiteboardAlt } from "./whiteboard-style.ts";
import { CELL_STATUSES, type CellStatus, type WhiteboardModel } from "./whiteboard-view.ts";

/**
 * The whiteboard as SVG. `full`: the seed's whiteboard with labels, one row per case under its
 * worker's heading ("Jane Smith's Cases"), for the Slack upload, the PNG export and the printed page.
 * `compact`: a small picture for a Teams card (whiteboard-compact.ts). Deterministic: the same model
 * gives the same bytes.
 *
 * Sizes are as small as stay readable: a 400-case team is ~6,500 px tall, and resvg's time and the
 * PNG's bytes grow with the pixels (≤ 200 ms for that team is the target).
 */
export type PictureSize = "full" | "compact";

export interface SvgOptions {
  readonly size: PictureSize;
  /** how text is drawn (svg-text.ts): `glyphs` for PNG (the default), `text` for a browser */
  readonly text?: TextMode;
  /** false: the grid only (headings and rows), for the printed page that has its own title and legend */
  readonly frame?: boolean;
  /**
   * Size the columns for this (larger) model: the printed page draws a team in several pieces, and
   * they line up when all are sized for the whole team.
   */
  readonly columnsFor?: WhiteboardModel;
}

export function whiteboardSvg(model: WhiteboardModel, opts: SvgOptions): string {
  const text = new SvgText(opts.text ?? "glyphs");
  if (opts.size === "compact") return compactSvg(model, text);
  return fullSvg(model, text, fullLayout(model, opts.frame ?? true, opts.columnsFor));
}

const PAD = 16;
const ROW_H = 15;
const GROUP_H = 22;
const LABEL_SIZE = 10;
const HEAD_SIZE = 9;
const HEAD_LINE = 10;
/** the frame: title, summary line, legend */
const FRAME_H = 66;
const HEAD_H = 36;
/** two count rows under the headings, in the frame only */
const COUNT_H = 14;
const MAX_NAME_W = 200;
const GAP = 10;

const headingWidth = (lines: readonly string[]) => Math.max(...lines.map((h) => textWidth(h, HEAD_SIZE)));
const baseline = (top: number, h: number, size: number) => top + h / 2 + (size * CAP_HEIGHT) / 2;
const legendStep = (s: CellStatus, cellW: number) => cellW + 6 + textWidth(LEGEND[s], LABEL_SIZE) + 16;

/** Where everything goes, from the model alone: tests and the PNG read the size from here. */
export function fullLayout(m: WhiteboardModel, frame = true, columnsFor: WhiteboardModel = m) {
  const rows = columnsFor.groups.flatMap((g) => g.rows);
  const idW = Math.max(textWidth("Case", HEAD_SIZE), ...rows.map((r) => textWidth(r.caseId, LABEL_SIZE)));
  const nameW = Math.min(
    MAX_NAME_W,
    Math.max(0, ...rows.map((r) => (r.child === r.caseId ? 0 : textWidth(r.child, LABEL_SIZE)))),
  );
  // A child with cases on several dashboards: each row says which service it is.
  const serviceW = Math.ceil(
    Math.max(0, ...rows.map((r) => (r.service === null ? 0 : textWidth(r.service, LABEL_SIZE)))),
  );
  const serviceX = PAD + idW + 8 + (nameW > 0 ? nameW + 8 : 0);
  const labelW = Math.ceil(Math.max(120, idW + 8 + nameW + 8 + (serviceW > 0 ? serviceW + 8 : 0)));
  const cellW = Math.ceil(Math.max(36, ...m.columns.map((c) => headingWidth(c.heading) + 3)));
  const markerW = MARKERS.map((k) => Math.ceil(headingWidth(k.heading) + 6));
  const gridX = PAD + labelW;
  const markerX = gridX + m.columns.length * cellW + GAP;
  const legendW = CELL_STATUSES.reduce((w, s) => w + legendStep(s, cellW), 0);
  const width = Math.ceil(
    Math.max(
      markerX + markerW[0]! + markerW[1]! + PAD,
      frame ? PAD * 2 + Math.max(legendW, textWidth(m.title, 18), textWidth(summaryLine(m), 11)) : 0,
    ),
  );
  const headY = frame ? PAD + FRAME_H : PAD;
  const gridY = headY + HEAD_H + (frame ? 2 * COUNT_H + 6 : 4);
  // the top of each case's row, for tests and anything that points into the picture
  const rowY = new Map<string, number>();
  let y = gridY;
  for (const g of m.groups) {
    y += GROUP_H;
    for (const r of g.rows) {
      rowY.set(r.caseId, y);
      y += ROW_H;
    }
  }
  const height = (m.groups.length === 0 ? y + ROW_H : y) + PAD;
  return {
    frame,
    width,
    height,
    labelW,
    cellW,
    markerW,
    nameW,
    idW,
    serviceW,
    serviceX,
    gridX,
    markerX,
    headY,
    gridY,
    rowY,
  };
}

/** "4/6": cases with the element done, of those whose dashboard has it. */
function doneOf(m: WhiteboardModel, i: number): string {
  const c = m.counts.columns[i]!;
  const of = c.done + c.missing + c.stuck;
  return of === 0 ? "–" : `${c.done}/${of}`;
}

function fullSvg(m: WhiteboardModel, t: SvgText, L: ReturnType<typeof fullLayout>): string {
  const { frame } = L;
  const out: string[] = [];
  const cells = new CellPaths(L.cellW, ROW_H);
  // every other row shaded, to follow a row across: one path, drawn under everything
  const stripes: string[] = [];
  const colX = (i: number) => L.gridX + i * L.cellW;
  const markerCx = (k: number) => L.markerX + (k === 0 ? 0 : L.markerW[0]!) + L.markerW[k]! / 2;
  const scaleAt = m.columns.findIndex((c) => c.element === "safety-scale");

  if (frame) {
    out.push(t.draw(m.title, PAD, PAD + 16, { size: 18, bold: true }));
    out.push(t.draw(summaryLine(m), PAD, PAD + 34, { size: 11, fill: MUTED }));
    let x = PAD;
    const ly = PAD + 46;
    for (const s of CELL_STATUSES) {
      cells.add(s, x, ly);
      out.push(t.draw(LEGEND[s], x + L.cellW + 6, baseline(ly, ROW_H, LABEL_SIZE), { size: LABEL_SIZE }));
      x += legendStep(s, L.cellW);
    }
  }

  // Column headings, bottom-aligned so one-line and two-line headings share a baseline.
  const headBase = L.headY + HEAD_H - 5;
  const heading = (lines: readonly string[], cx: number, fill?: string) => {
    lines.forEach((line, k) => {
      const y = headBase - (lines.length - 1 - k) * HEAD_LINE;
      out.push(t.draw(line, cx, y, { size: HEAD_SIZE, anchor: "middle", fill }));
    });
  };
  out.push(t.draw("Case", PAD, headBase, { size: HEAD_SIZE, fill: MUTED }));
  if (L.nameW > 0) out.push(t.draw("Child", PAD + L.idW + 8, headBase, { size: HEAD_SIZE, fill: MUTED }));
  if (L.serviceW > 0) out.push(t.draw("Service", L.serviceX, headBase, { size: HEAD_SIZE, fill: MUTED }));
  m.columns.forEach((c, i) => {
    heading(c.heading, colX(i) + L.cellW / 2);
  });
  MARKERS.forEach((k, i) => {
    heading(k.heading, markerCx(i), ALERT);
  });
  const ruleY = L.headY + HEAD_H;
  out.push(
    `<rect x="${PAD}" y="${ruleY}" width="${L.width - 2 * PAD}" height="1" fill="${RULE}" shape-rendering="crispEdges"/>`,
  );

  if (frame) {
    // The team's totals under the headings, seen without scrolling down a long picture.
    const counts = [
      { label: "Done, of cases with it", cells: m.columns.map((_, i) => doneOf(m, i)), fill: undefined },
      {
        label: "Stuck here",
        cells: m.counts.columns.map((c) => String(c.stuck)),
        markers: [m.counts.quiet, m.counts.scaleOverdue],
        fill: ALERT,
      },
    ];
    counts.forEach((r, k) => {
      const y = baseline(ruleY + 3 + k * COUNT_H, COUNT_H, LABEL_SIZE);
      out.push(t.draw(r.label, PAD, y, { size: LABEL_SIZE, fill: MUTED }));
      r.cells.forEach((v, i) => {
        out.push(t.draw(v, colX(i) + L.cellW / 2, y, { size: LABEL_SIZE, anchor: "middle", fill: r.fill }));
      });
      r.markers?.forEach((v, i) => {
        out.push(t.draw(String(v), markerCx(i), y, { size: LABEL_SIZE, anchor: "middle", fill: r.fill }));
      });
    });
  }

  let y = L.gridY;
  if (m.groups.length === 0) {
    const msg = "No open cases and no workers in this team.";
    out.push(t.draw(msg, PAD, baseline(y, ROW_H, LABEL_SIZE), { size: LABEL_SIZE, fill: MUTED }));
  }
  for (const g of m.groups) {
    const stuck = g.rows.filter((r) => r.stuck).length;
    const gy = y + GROUP_H - 6;
    out.push(t.draw(g.title, PAD, gy, { size: 11, bold: true }));
    const note = g.rows.length === 0 ? "no open cases" : `${g.rows.length} open · ${stuck} stuck`;
    // room for a browser's real bold face (wider than the regular one measured) in `text` mode
    out.push(t.draw(note, PAD + textWidth(g.title, 11) * 1.12 + 10, gy, { size: LABEL_SIZE, fill: MUTED }));
    y += GROUP_H;
    g.rows.forEach((r, k) => {
      if (k % 2 === 1) stripes.push(`M${PAD} ${y}h${L.width - 2 * PAD}v${ROW_H}h${2 * PAD - L.width}z`);
      const by = baseline(y, ROW_H, LABEL_SIZE);
      out.push(t.draw(r.caseId, PAD, by, { size: LABEL_SIZE }));
      if (r.child !== r.caseId)
        out.push(t.draw(fitText(r.child, LABEL_SIZE, L.nameW), PAD + L.idW + 8, by, { size: LABEL_SIZE }));
      if (r.service !== null) out.push(t.draw(r.service, L.serviceX, by, { size: LABEL_SIZE, fill: MUTED }));
      r.cells.forEach((s, i) => {
        cells.add(s, colX(i), y);
      });
      [r.quietDays, r.scaleDays].forEach((days, i) => {
        if (days !== null)
          out.push(
            t.draw(String(days), markerCx(i), by, { size: LABEL_SIZE, anchor: "middle", fill: ALERT }),
          );
      });
      // Never rated: the scale's column says so rather than stay blank (orange when a rule holds).
      if (r.scaleDays === null && r.neverRated) {
        const overdue = scaleAt >= 0 && r.cells[scaleAt] === "stuck";
        out.push(
          t.draw("never", markerCx(1), by, {
            size: LABEL_SIZE,
            anchor: "middle",
            fill: overdue ? ALERT : MUTED,
          }),
        );
      }
      y += ROW_H;
    });
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" role="img" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(whiteboardAlt(m, "full"))}</title>`,
    `<defs>${t.defs()}</defs>`,
    `<rect width="${L.width}" height="${L.height}" fill="#fff"/>`,
    stripes.length ? `<path d="${stripes.join("")}" fill="#f1f3f5" shape-rendering="crispEdges"/>` : "",
    ...out,
    cells.svg(),
    "</svg>",
  ].join("\n");
}
