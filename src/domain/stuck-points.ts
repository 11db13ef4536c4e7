import { type DashboardDef, elementColumn } from "./dashboards.ts";
import type { ElementKey } from "./elements.ts";
import type { CaseStates } from "./projection.ts";
import type { StuckFinding } from "./stuck.ts";

/**
 * Where on the whiteboard a case is stuck: the missing elements its stuck findings point at. A rule
 * whose element is done (a Safety Scale rated, but long ago) or that names no element (nothing logged
 * lately) points at no cell; the whiteboard says those beside the row instead.
 */
export function stuckElements(
  findings: readonly StuckFinding[],
  states: CaseStates,
  dashboard: DashboardDef,
): Set<ElementKey> {
  const out = new Set<ElementKey>();
  // Most cases are not stuck: no closure made for them (this runs for every row of every board).
  if (findings.length === 0) return out;
  const point = (el: ElementKey) => {
    if ((states[el]?.count ?? 0) === 0 && elementColumn(dashboard, el)) out.add(el);
  };
  for (const f of findings) {
    switch (f.rule) {
      case "no-internal-mapping":
        point("mapping-internal");
        break;
      case "no-family-mapping":
        point("mapping-with-family");
        break;
      // the rule fires when either is missing: mark whichever (or both) is
      case "no-danger-or-goal":
        point("danger-statement");
        point("safety-goal");
        break;
      case "no-recent-scale":
        point("safety-scale");
        break;
      case "no-child-plan":
        point("child-safety-plan");
        break;
      case "no-activity":
        break;
    }
  }
  return out;
}
