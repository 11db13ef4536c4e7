import { fittingWeights } from "./card-width.ts";

/**
 * Adaptive Card 1.5 building blocks, as plain JSON: the element types Microsoft Teams renders, and the
 * helpers every card here is made of. No SDK import, so cards are pure data and easy to test.
 */

export const CARD_VERSION = "1.5";
export const CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

export type Color = "Default" | "Good" | "Attention" | "Warning" | "Accent";
export type Spacing = "None" | "Small" | "Default" | "Medium" | "Large";

export interface TextBlock {
  readonly type: "TextBlock";
  readonly text: string;
  readonly wrap: true;
  readonly weight?: "Bolder";
  readonly size?: "Small" | "Medium" | "Large";
  readonly color?: Color;
  readonly isSubtle?: true;
  readonly spacing?: Spacing;
  readonly style?: "heading";
}

export interface FactSet {
  readonly type: "FactSet";
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly spacing?: Spacing;
}

export interface TableCell {
  readonly type: "TableCell";
  readonly items: readonly TextBlock[];
}

export interface Table {
  readonly type: "Table";
  readonly columns: readonly { readonly width: number }[];
  readonly rows: readonly { readonly type: "TableRow"; readonly cells: readonly TableCell[] }[];
  readonly spacing?: Spacing;
}

export interface Container {
  readonly type: "Container";
  readonly items: readonly CardElement[];
  readonly separator?: true;
  readonly spacing?: Spacing;
}

/** A picture; Teams draws `data:` URIs too, which is how a rendered PNG travels inside a card. */
export interface Image {
  readonly type: "Image";
  readonly url: string;
  readonly altText: string;
  readonly size?: "Auto" | "Stretch";
  readonly spacing?: Spacing;
}

/** Buttons inside the body, beside what they act on (the card's own actions sit at the bottom). */
export interface ActionSet {
  readonly type: "ActionSet";
  readonly actions: readonly ExecuteAction[];
  readonly spacing?: Spacing;
}

interface InputBase {
  readonly id: string;
  readonly label: string;
  readonly isRequired?: true;
  readonly errorMessage?: string;
  readonly spacing?: Spacing;
}

export interface ChoiceSetInput extends InputBase {
  readonly type: "Input.ChoiceSet";
  readonly choices: readonly { readonly title: string; readonly value: string }[];
  readonly style?: "compact" | "expanded" | "filtered";
  readonly value?: string;
  readonly placeholder?: string;
}

export interface DateInput extends InputBase {
  readonly type: "Input.Date";
  readonly value?: string;
  readonly min?: string;
  readonly max?: string;
}

export interface NumberInput extends InputBase {
  readonly type: "Input.Number";
  readonly min: number;
  readonly max: number;
  readonly value?: number;
  readonly placeholder?: string;
}

export interface TextInput extends InputBase {
  readonly type: "Input.Text";
  readonly isMultiline?: true;
  readonly maxLength?: number;
  readonly value?: string;
  readonly placeholder?: string;
}

export type CardElement =
  | TextBlock
  | FactSet
  | Table
  | Container
  | Image
  | ActionSet
  | ChoiceSetInput
  | DateInput
  | NumberInput
  | TextInput;

/** Verbs the cards' buttons carry. */
export const VERB = {
  undo: "undo",
  form: "form",
  formCase: "form-case",
  log: "log",
  page: "page",
  /** a nudge's Snooze: `/sos snooze` for one case, the nudge redrawn */
  snooze: "snooze",
  /** a nudge's Log…: the log form on that case, in a message of its own (the nudge stays) */
  nudgeLog: "nudge-log",
} as const;

/** What a button carries back: the verb, a per-card nonce and the verb's own fields. */
export type ActionData = { readonly [key: string]: string | number };

export interface SubmitAction {
  readonly type: "Action.Submit";
  readonly title: string;
  readonly data: ActionData & { readonly verb: string };
  readonly associatedInputs?: "auto" | "none";
}

/**
 * A Universal Action (Teams answers it in place), falling back to Action.Submit on clients that
 * predate it: both carry the same verb and data, so the bot treats them alike.
 */
export interface ExecuteAction {
  readonly type: "Action.Execute";
  readonly title: string;
  readonly verb: string;
  readonly data: ActionData;
  readonly style?: "positive" | "destructive";
  readonly associatedInputs?: "auto" | "none";
  readonly fallback: SubmitAction;
}

export interface AdaptiveCard {
  readonly type: "AdaptiveCard";
  readonly $schema: string;
  readonly version: typeof CARD_VERSION;
  /** what a client that cannot draw the card shows instead */
  readonly fallbackText: string;
  readonly body: readonly CardElement[];
  readonly actions?: readonly ExecuteAction[];
  /** Teams: use the whole width of the conversation (wide tables) */
  readonly msteams?: { readonly width: "Full" };
}

export function card(
  body: readonly CardElement[],
  fallbackText: string,
  opts: { actions?: readonly ExecuteAction[]; wide?: boolean } = {},
): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    fallbackText: shortened(plain(fallbackText), FALLBACK_MAX),
    body,
    ...(opts.actions && opts.actions.length > 0 ? { actions: opts.actions } : {}),
    ...(opts.wide ? { msteams: { width: "Full" as const } } : {}),
  };
}

export function action(
  title: string,
  verb: string,
  data: ActionData,
  opts: { style?: "positive" | "destructive"; inputs?: "none" } = {},
): ExecuteAction {
  const inputs = opts.inputs ? { associatedInputs: opts.inputs } : {};
  return {
    type: "Action.Execute",
    title,
    verb,
    data,
    ...(opts.style ? { style: opts.style } : {}),
    ...inputs,
    fallback: { type: "Action.Submit", title, data: { ...data, verb }, ...inputs },
  };
}

export function text(s: string, opts: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TextBlock {
  return { type: "TextBlock", text: teamsMarkdown(s), wrap: true, ...opts };
}

/**
 * Reply text as Teams shows it: commands are typed `sos …` there (a slash opens Teams' own menu),
 * and card markdown has no code spans, so `…` becomes bold.
 */
export function teamsMarkdown(s: string): string {
  return s.replace(/\/sos\b/g, "sos").replace(/`([^`\n]+)`/g, "**$1**");
}

/**
 * The longest fallback text a card carries: it is for clients that cannot draw cards, and a whole
 * dashboard as text would crowd the card out of Teams' message size.
 */
export const FALLBACK_MAX = 2000;

/** Cut at a line end, saying so: never mid-word, never silently. */
export function shortened(s: string, max: number): string {
  if (s.length <= max) return s;
  const more = "\n… (the rest is in the card)";
  const cut = s.lastIndexOf("\n", max - more.length);
  return `${s.slice(0, cut > 0 ? cut : max - more.length)}${more}`;
}

/** The same text without markup, for fallbacks and notifications. */
export function plain(s: string): string {
  return s.replace(/\/sos\b/g, "sos").replace(/`([^`\n]+)`/g, "$1");
}

/**
 * Several lines as text blocks, one per line (a line break inside one block is not drawn the same by
 * every Teams client); a blank line becomes space above the next block.
 */
export function lines(s: string, first: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TextBlock[] {
  const out: TextBlock[] = [];
  let gap = false;
  for (const line of s.split("\n")) {
    const t = line.trim();
    if (t === "") {
      gap = out.length > 0;
      continue;
    }
    const opts =
      out.length === 0 ? first : gap ? { spacing: "Medium" as const } : { spacing: "Small" as const };
    out.push(text(t, opts));
    gap = false;
  }
  return out;
}

/** A table whose first row is the header, as the seed draws its dashboards. */
export function table(
  headers: readonly string[],
  rows: readonly TableRowInput[],
  widths?: readonly number[],
): Table {
  const cell = (s: string, o: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TableCell => ({
    type: "TableCell",
    items: [{ type: "TextBlock", text: s, wrap: true, ...o }],
  });
  return {
    type: "Table",
    columns: headers.map((_, i) => ({ width: widths?.[i] ?? 1 })),
    rows: [
      { type: "TableRow", cells: headers.map((h) => cell(h, { weight: "Bolder", size: "Small" })) },
      ...rows.map((r) => {
        const row = "cells" in r ? r : { cells: r as readonly string[] };
        return {
          type: "TableRow" as const,
          cells: row.cells.map((c, i) =>
            cell(c, {
              size: "Small",
              ...(i === 0 && row.color ? { color: row.color } : {}),
              ...(row.bold ? { weight: "Bolder" as const } : {}),
            }),
          ),
        };
      }),
    ],
  };
}

type TableRowInput = readonly string[] | { cells: readonly string[]; color?: Color; bold?: boolean };

const cellsOf = (r: TableRowInput): readonly string[] => ("cells" in r ? r.cells : (r as readonly string[]));

/**
 * Rows of a table as blocks of their own: each row's first cell as its heading, the other cells as
 * header → cell. What a table becomes when it would not read on a phone (`tableOrRecords`).
 */
export function records(headers: readonly string[], rows: readonly TableRowInput[]): Container[] {
  return rows.map((r) => {
    const row = "cells" in r ? r : { cells: r as readonly string[] };
    const [first = "", ...rest] = row.cells;
    return {
      type: "Container",
      separator: true,
      spacing: "Small",
      items: [
        text(row.bold ? `**${first}**` : first, {
          weight: "Bolder",
          ...(row.color ? { color: row.color } : {}),
        }),
        {
          type: "FactSet",
          spacing: "None",
          facts: rest.map((value, i) => ({ title: headers[i + 1] ?? "", value })),
        },
      ],
    };
  });
}

/**
 * A table when every column holds its text on a phone (`card-width.ts`), its columns weighted by what
 * they hold; otherwise the same rows as blocks of label → value: a card is drawn on a 360 px phone
 * as well as on a desktop.
 */
export function tableOrRecords(
  headers: readonly string[],
  rows: readonly TableRowInput[],
): { elements: CardElement[]; table: boolean } {
  const weights = fittingWeights([headers, ...rows.map(cellsOf)]);
  return weights
    ? { elements: [table(headers, rows, weights)], table: true }
    : { elements: records(headers, rows), table: false };
}

/** Bytes of a card as sent: Teams refuses a message over about 28 KB. */
export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(c));
}
