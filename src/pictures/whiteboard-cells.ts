import { num } from "./svg-text.ts";
import { FILL, RULE } from "./whiteboard-style.ts";
import { CELL_STATUSES, type CellStatus } from "./whiteboard-view.ts";

/**
 * The full picture's cells, drawn as a few long paths, one per fill and one per kind of mark, rather
 * than an element per cell: resvg's time goes with the number of elements, and a 400-case team has
 * 4,800 cells (each as a <use> cost ~40 ms more). Marks: a tick on done, a white "!" on stuck, a dash
 * on n/a; "not done yet" is a white box in a grey frame.
 */
export class CellPaths {
  private readonly boxes: Record<CellStatus, string[]> = { done: [], missing: [], stuck: [], na: [] };
  private readonly inner: string[] = [];
  private readonly marks: Record<CellStatus, string[]> = { done: [], missing: [], stuck: [], na: [] };

  constructor(
    private readonly w: number,
    private readonly h: number,
  ) {}

  /** a cell with its top-left corner at whole pixels x, y */
  add(status: CellStatus, x: number, y: number): void {
    const { w, h } = this;
    this.boxes[status].push(`M${x + 1} ${y + 1}h${w - 2}v${h - 2}h${2 - w}z`);
    const cx = x + w / 2;
    const cy = y + h / 2;
    if (status === "missing") this.inner.push(`M${x + 2} ${y + 2}h${w - 4}v${h - 4}h${4 - w}z`);
    // a tick 2 px thick: down-stroke from the left, long up-stroke to the right
    else if (status === "done")
      this.marks.done.push(`M${num(cx - 3.3)} ${num(cy - 0.7)}l2.3 2.3l4.8-5.3l1.4 1.4l-6.2 6.7l-3.7-3.7z`);
    else if (status === "stuck")
      this.marks.stuck.push(
        `M${num(cx - 1.1)} ${num(cy - 5)}h2.2v6.5h-2.2zM${num(cx - 1.1)} ${num(cy + 2.8)}h2.2v2.2h-2.2z`,
      );
    else this.marks.na.push(`M${num(cx - 3.5)} ${num(cy - 0.7)}h7v1.4h-7z`);
  }

  svg(): string {
    const path = (parts: string[], fill: string, crisp: boolean) =>
      parts.length === 0
        ? ""
        : `<path d="${parts.join("")}" fill="${fill}"${crisp ? ' shape-rendering="crispEdges"' : ""}/>`;
    return [
      ...CELL_STATUSES.map((s) => path(this.boxes[s], s === "missing" ? RULE : FILL[s], true)),
      path(this.inner, FILL.missing, true),
      path(this.marks.done, "#fff", false),
      path(this.marks.stuck, "#fff", false),
      path(this.marks.na, "#6e7781", false),
    ].join("");
  }
}
