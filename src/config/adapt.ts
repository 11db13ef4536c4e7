import {
  allowedStyles,
  type CellStyle,
  type ColumnDef,
  type DashboardDef,
  defaultStyle,
  isElementColumn,
} from "../domain/dashboards.ts";
import { ELEMENTS, type ElementKey } from "../domain/elements.ts";
import type { ConfigFile } from "./schema.ts";

type Adaptation = NonNullable<ConfigFile["dashboards"]>[keyof NonNullable<ConfigFile["dashboards"]>];

/**
 * Applies an agency's adaptation to one of the seed's dashboards ("adopted or adapted"): add columns,
 * drop them, relabel them, change a column's cell style. Every problem is reported with its key path.
 */
export function adaptDashboard(
  base: DashboardDef,
  adaptation: Adaptation | undefined,
  at: string,
): { def: DashboardDef; problems: string[] } {
  if (!adaptation) return { def: base, problems: [] };
  const problems: string[] = [];
  let columns: ColumnDef[] = [...base.columns];
  const has = (id: string) => columns.some((c) => c.id === id);

  for (const [i, add] of (adaptation.add ?? []).entries()) {
    const where = `${at}.add[${i}]`;
    if (has(add.element)) {
      problems.push(`${where}.element: "${add.element}" is already on the ${base.slug} dashboard`);
      continue;
    }
    const kind = ELEMENTS[add.element].kind;
    const style: CellStyle = add.style ?? defaultStyle(kind);
    if (!allowedStyles(kind).includes(style)) {
      problems.push(
        `${where}.style: ${add.element} can show as ${allowedStyles(kind).join(" or ")}, not ${style}`,
      );
      continue;
    }
    const col: ColumnDef = { id: add.element, label: add.label ?? ELEMENTS[add.element].name, style };
    if (add.after === undefined) columns.push(col);
    else {
      const idx = columns.findIndex((c) => c.id === add.after);
      if (idx < 0)
        problems.push(`${where}.after: "${add.after}" is not a column of the ${base.slug} dashboard`);
      else columns.splice(idx + 1, 0, col);
    }
  }

  for (const [i, id] of (adaptation.drop ?? []).entries()) {
    if (!has(id)) problems.push(`${at}.drop[${i}]: "${id}" is not a column of the ${base.slug} dashboard`);
    columns = columns.filter((c) => c.id !== id);
  }

  for (const [id, label] of Object.entries(adaptation.relabel ?? {})) {
    if (label === undefined) continue;
    if (!has(id)) problems.push(`${at}.relabel.${id}: "${id}" is not a column of the ${base.slug} dashboard`);
    columns = columns.map((c) => (c.id === id ? { ...c, label } : c));
  }

  for (const [id, style] of Object.entries(adaptation.style ?? {})) {
    if (style === undefined) continue;
    const col = columns.find((c) => c.id === id);
    if (!col || !isElementColumn(col)) {
      problems.push(`${at}.style.${id}: "${id}" is not a column of the ${base.slug} dashboard`);
      continue;
    }
    const kind = ELEMENTS[id as ElementKey].kind;
    if (!allowedStyles(kind).includes(style)) {
      problems.push(`${at}.style.${id}: ${id} can show as ${allowedStyles(kind).join(" or ")}, not ${style}`);
      continue;
    }
    columns = columns.map((c) => (c.id === id ? { ...c, style } : c));
  }

  return { def: { slug: base.slug, title: adaptation.title ?? base.title, columns }, problems };
}
