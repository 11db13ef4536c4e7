/**
 * Block Kit primitives: the few block types the bot sends, typed here so the renderer needs no SDK.
 * They are a structural subset of `@slack/types`, which the Slack adapter checks when it sends them.
 * Everything here is pure and keeps to Slack's documented limits by construction.
 */

export interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}

export interface Mrkdwn {
  type: "mrkdwn";
  text: string;
}

export interface RichTextStyle {
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
}

export interface RichTextCell {
  type: "rich_text";
  elements: {
    type: "rich_text_section";
    elements: { type: "text"; text: string; style?: RichTextStyle }[];
  }[];
}

export interface Button {
  type: "button";
  text: PlainText;
  action_id: string;
  value?: string;
  style?: "primary" | "danger";
}

export interface HeaderBlock {
  type: "header";
  text: PlainText;
  block_id?: string;
}
export interface SectionBlock {
  type: "section";
  text?: Mrkdwn;
  fields?: Mrkdwn[];
  block_id?: string;
}
export interface ContextBlock {
  type: "context";
  elements: Mrkdwn[];
  block_id?: string;
}
export interface DividerBlock {
  type: "divider";
}
export interface ActionsBlock {
  type: "actions";
  elements: Button[];
  block_id?: string;
}
export interface TableBlock {
  type: "table";
  rows: RichTextCell[][];
  column_settings?: { is_wrapped?: boolean; align?: "left" | "center" | "right" }[];
  block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock | TableBlock;

/** A message: `text` is the complete plain-text fallback (notifications, clients without tables). */
export interface Message {
  text: string;
  blocks: Block[];
}

/** Slack's documented limits, and the undocumented one that bites (`msg_blocks_too_long`). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionElements: 25,
  tableRows: 100,
  tableCells: 20,
  tableChars: 10_000,
  /** bolt-js#2509: about 13,200 characters of block text per message fail; stay well below */
  messageChars: 12_000,
  fallbackText: 4000,
} as const;

/** Slack's mrkdwn needs &, < and > escaped; anything else typed by people shows as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts text to `max` characters, saying so with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function plain(text: string, max: number = LIMITS.headerText): PlainText {
  return { type: "plain_text", text: clip(text, max), emoji: true };
}

export function mrkdwn(text: string): Mrkdwn {
  return { type: "mrkdwn", text };
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: plain(text, LIMITS.headerText) };
}

export function context(text: string): ContextBlock {
  return { type: "context", elements: [mrkdwn(clip(text, LIMITS.sectionText))] };
}

export function button(text: string, actionId: string, value?: string, style?: Button["style"]): Button {
  const b: Button = { type: "button", text: plain(text, LIMITS.buttonText), action_id: actionId };
  if (value !== undefined) b.value = value.slice(0, LIMITS.buttonValue);
  if (style) b.style = style;
  return b;
}

export function cell(text: string, style?: RichTextStyle): RichTextCell {
  // A table cell must hold at least one character.
  const t = text === "" ? "–" : text;
  return {
    type: "rich_text",
    elements: [
      {
        type: "rich_text_section",
        elements: [style ? { type: "text", text: t, style } : { type: "text", text: t }],
      },
    ],
  };
}

/**
 * Text (already mrkdwn) as section blocks of at most 3000 characters each, split between lines so
 * nothing is cut mid-word unless a single line is longer than a section.
 */
export function sections(text: string, max: number = LIMITS.sectionText): SectionBlock[] {
  const out: SectionBlock[] = [];
  let current = "";
  const flush = () => {
    if (current !== "") out.push({ type: "section", text: mrkdwn(current) });
    current = "";
  };
  for (const raw of text.split("\n")) {
    let line = raw;
    while (line.length > max) {
      flush();
      out.push({ type: "section", text: mrkdwn(line.slice(0, max)) });
      line = line.slice(max);
    }
    if (current === "") current = line === "" ? " " : line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      flush();
      current = line === "" ? " " : line;
    }
  }
  flush();
  return out;
}

/** Characters of text a block carries: what Slack's per-message text budget counts. */
export function blockChars(b: Block): number {
  switch (b.type) {
    case "header":
      return b.text.text.length;
    case "section":
      return (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case "context":
      return b.elements.reduce((n, e) => n + e.text.length, 0);
    case "actions":
      return b.elements.reduce((n, e) => n + e.text.text.length + (e.value?.length ?? 0), 0);
    case "table":
      return b.rows.reduce((n, r) => n + r.reduce((m, c) => m + cellText(c).length, 0), 0);
    case "divider":
      return 0;
  }
}

export function cellText(c: RichTextCell): string {
  return c.elements.map((s) => s.elements.map((e) => e.text).join("")).join("");
}

export function messageChars(blocks: readonly Block[]): number {
  return blocks.reduce((n, b) => n + blockChars(b), 0);
}
