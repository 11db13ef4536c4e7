import type { DashboardView } from "./view.ts";

/**
 * The notes under a dashboard, worded once for every surface (text, CSV, Block Kit, Adaptive Cards,
 * the printed page): what its marks mean. Each surface draws its own mark for a stuck case and
 * decides how the notes look; the words are these.
 */

/** Shown in the overview where an element is not on the case's own dashboard and was never recorded. */
export const NOT_APPLICABLE = "–";

/** What `–` means, said wherever a table or a case shows one. */
export const NOT_APPLICABLE_NOTE = `${NOT_APPLICABLE} not on this case's own dashboard: its service doesn't record that element`;

/** What a stuck mark means; `command` is how the surface writes `/sos stuck` (code span, bold, plain). */
export function stuckNote(mark: string, command: string): string {
  return `${mark} stuck: type ${command} to see why`;
}

/**
 * The same for layouts that list each case's elements one by one, where the mark also goes beside
 * the elements a stuck rule points at.
 */
export function stuckMarksNote(mark: string, command: string): string {
  return `${mark} stuck: beside a case, a stuck rule holds for it; beside an element, the rule points at it. Type ${command} to see why.`;
}

/** Whether any row shown has an element that is not on its own dashboard. */
export function showsNotApplicable(view: DashboardView): boolean {
  return view.groups.some((g) => g.rows.some((r) => r.cells.includes(NOT_APPLICABLE)));
}

export function showsStuck(view: DashboardView): boolean {
  return view.groups.some((g) => g.rows.some((r) => r.stuck));
}
