import type { DashboardView } from "./view.ts";

/**
 * The dashboard as JSON for other tools. This shape is a contract: keys and order are fixed here,
 * whatever the view model grows, and `cells` are exactly the text table's cells in `columns` order.
 */
export interface DashboardJson {
  dashboard: string;
  title: string;
  columns: string[];
  groups: { worker: string; title: string; rows: { caseId: string; cells: string[] }[] }[];
}

export function dashboardJson(view: DashboardView): DashboardJson {
  return {
    dashboard: view.dashboard,
    title: view.title,
    columns: [...view.columns],
    groups: view.groups.map((g) => ({
      worker: g.worker,
      title: g.title,
      rows: g.rows.map((r) => ({ caseId: r.caseId, cells: [...r.cells] })),
    })),
  };
}
