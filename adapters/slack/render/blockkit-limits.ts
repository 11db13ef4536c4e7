import { LIMITS } from "./blockkit.ts";

/**
 * Checks blocks against Slack's limits, at run time and in tests: whatever built them, a message
 * that breaks one is refused by Slack as a whole, and a worker sees nothing at all. Reads the blocks
 * loosely (modals carry input blocks the renderer's own types do not), and returns one line per
 * problem; an empty list means Slack will take it.
 */

export type LimitSurface = "message" | "modal" | "home";

type Loose = { readonly [k: string]: unknown };

const isObj = (v: unknown): v is Loose => typeof v === "object" && v !== null;
const textOf = (v: unknown): string => (isObj(v) && typeof v.text === "string" ? v.text : "");
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Every `text` string in a rich_text cell (or any nested object). */
function nestedText(v: unknown): string {
  if (Array.isArray(v)) return v.map(nestedText).join("");
  if (!isObj(v)) return "";
  let s = typeof v.text === "string" ? v.text : "";
  for (const k of ["elements", "rows"]) if (k in v) s += nestedText(v[k]);
  return s;
}

function checkOptions(where: string, options: unknown, errs: string[]): void {
  const list = arr(options);
  if (list.length > 100) errs.push(`${where}: ${list.length} options > 100`);
  list.forEach((o, i) => {
    const t = isObj(o) ? textOf(o.text) : "";
    if (t.length > 75) errs.push(`${where}.options[${i}] text ${t.length} > 75`);
    const value = isObj(o) && typeof o.value === "string" ? o.value : "";
    if (value.length > 150) errs.push(`${where}.options[${i}] value ${value.length} > 150`);
  });
}

function checkElement(where: string, el: unknown, errs: string[]): void {
  if (!isObj(el)) return;
  if (el.type === "button") {
    const t = textOf(el.text);
    if (t.length > LIMITS.buttonText) errs.push(`${where} button text ${t.length} > ${LIMITS.buttonText}`);
    if (typeof el.value === "string" && el.value.length > LIMITS.buttonValue)
      errs.push(`${where} button value ${el.value.length} > ${LIMITS.buttonValue}`);
  }
  if (typeof el.action_id === "string" && el.action_id.length > 255)
    errs.push(`${where} action_id longer than 255`);
  if ("options" in el) checkOptions(where, el.options, errs);
  const ph = textOf(el.placeholder);
  if (ph.length > 150) errs.push(`${where} placeholder ${ph.length} > 150`);
}

export function checkBlocks(blocks: readonly unknown[], surface: LimitSurface): string[] {
  const errs: string[] = [];
  const max = surface === "message" ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) errs.push(`${blocks.length} blocks > ${max} (${surface})`);
  let tables = 0;
  let tableChars = 0;
  let chars = 0;
  blocks.forEach((b, i) => {
    if (!isObj(b)) {
      errs.push(`blocks[${i}] is not a block`);
      return;
    }
    const at = `blocks[${i}] (${String(b.type)})`;
    if (typeof b.block_id === "string" && b.block_id.length > 255) errs.push(`${at} block_id > 255`);
    switch (b.type) {
      case "header": {
        const t = textOf(b.text);
        chars += t.length;
        if (t.length === 0 || t.length > LIMITS.headerText) errs.push(`${at} text ${t.length} not 1–150`);
        break;
      }
      case "section": {
        const t = textOf(b.text);
        chars += t.length;
        if ("text" in b && (t.length === 0 || t.length > LIMITS.sectionText))
          errs.push(`${at} text ${t.length} not 1–${LIMITS.sectionText}`);
        const fields = arr(b.fields);
        if (!("text" in b) && fields.length === 0) errs.push(`${at} has neither text nor fields`);
        if (fields.length > LIMITS.fields) errs.push(`${at} ${fields.length} fields > ${LIMITS.fields}`);
        fields.forEach((f, j) => {
          const ft = textOf(f);
          chars += ft.length;
          if (ft.length > LIMITS.fieldText)
            errs.push(`${at}.fields[${j}] ${ft.length} > ${LIMITS.fieldText}`);
        });
        if ("accessory" in b) checkElement(`${at}.accessory`, b.accessory, errs);
        break;
      }
      case "context": {
        const els = arr(b.elements);
        if (els.length === 0 || els.length > LIMITS.contextElements)
          errs.push(`${at} ${els.length} elements not 1–${LIMITS.contextElements}`);
        for (const e of els) {
          const t = textOf(e);
          chars += t.length;
          if (t.length > LIMITS.sectionText)
            errs.push(`${at} element text ${t.length} > ${LIMITS.sectionText}`);
        }
        break;
      }
      case "actions": {
        const els = arr(b.elements);
        if (els.length === 0 || els.length > LIMITS.actionElements)
          errs.push(`${at} ${els.length} elements not 1–${LIMITS.actionElements}`);
        els.forEach((e, j) => {
          checkElement(`${at}.elements[${j}]`, e, errs);
        });
        break;
      }
      case "input": {
        const label = textOf(b.label);
        if (label.length === 0 || label.length > 2000) errs.push(`${at} label ${label.length} not 1–2000`);
        const hint = textOf(b.hint);
        if (hint.length > 2000) errs.push(`${at} hint ${hint.length} > 2000`);
        checkElement(`${at}.element`, b.element, errs);
        if (surface === "message") errs.push(`${at} input blocks belong in modals and Home`);
        break;
      }
      case "table": {
        tables++;
        if (surface === "modal") errs.push(`${at} tables are not available in modals`);
        const rows = arr(b.rows);
        if (rows.length === 0 || rows.length > LIMITS.tableRows)
          errs.push(`${at} ${rows.length} rows not 1–${LIMITS.tableRows}`);
        rows.forEach((r, ri) => {
          const cells = arr(r);
          if (cells.length === 0 || cells.length > LIMITS.tableCells)
            errs.push(`${at}.rows[${ri}] ${cells.length} cells not 1–${LIMITS.tableCells}`);
          cells.forEach((c, ci) => {
            const t = nestedText(c);
            if (t.length === 0) errs.push(`${at}.rows[${ri}][${ci}] is empty`);
            tableChars += t.length;
          });
        });
        if (arr(b.column_settings).length > LIMITS.tableCells) errs.push(`${at} column_settings > 20`);
        break;
      }
      case "divider":
        break;
      default:
        chars += nestedText(b).length;
    }
  });
  chars += tableChars;
  if (tables > 1) errs.push(`${tables} tables: one per ${surface === "message" ? "message" : "view"}`);
  if (tableChars > LIMITS.tableChars)
    errs.push(`table cells hold ${tableChars} characters > ${LIMITS.tableChars}`);
  if (surface === "message" && chars > LIMITS.messageChars)
    errs.push(`${chars} characters of block text > ${LIMITS.messageChars} (msg_blocks_too_long)`);
  return errs;
}

/** A whole message: blocks plus its fallback text. */
export function checkMessage(m: { readonly text: string; readonly blocks: readonly unknown[] }): string[] {
  const errs = checkBlocks(m.blocks, "message");
  if (m.text.length === 0) errs.push("fallback text is empty");
  if (m.text.length > LIMITS.fallbackText)
    errs.push(`fallback text ${m.text.length} > ${LIMITS.fallbackText}`);
  return errs;
}

/** A modal or Home view: its blocks plus the view's own fields. */
export function checkView(input: object): string[] {
  const view = input as Loose;
  const surface: LimitSurface = view.type === "home" ? "home" : "modal";
  const errs = checkBlocks(arr(view.blocks), surface);
  for (const k of ["title", "submit", "close"] as const) {
    const t = textOf(view[k]);
    if (t.length > 24) errs.push(`view ${k} ${t.length} > 24`);
  }
  if (surface === "modal" && textOf(view.title).length === 0) errs.push("modal has no title");
  const hasInput = arr(view.blocks).some((b) => isObj(b) && b.type === "input");
  if (surface === "modal" && hasInput && !view.submit) errs.push("a modal with inputs needs submit");
  if (typeof view.private_metadata === "string" && view.private_metadata.length > 3000)
    errs.push(`private_metadata ${view.private_metadata.length} > 3000`);
  if (typeof view.callback_id === "string" && view.callback_id.length > 255) errs.push("callback_id > 255");
  return errs;
}
