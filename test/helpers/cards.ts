import * as AC from "adaptivecards";
import type { AdaptiveCard, FactSet, Table } from "../../adapters/teams/render/adaptive-card-kit.ts";
import {
  factSqueezes,
  longestPiecePx,
  PHONE_CARD_PX,
  type Squeeze,
  type TextSize,
  tableSqueezes,
} from "../../adapters/teams/render/card-width.ts";

/** Elements and actions that Microsoft Teams draws in bot messages (Adaptive Cards 1.5). */
export const TEAMS_ELEMENTS = new Set([
  "TextBlock",
  "RichTextBlock",
  "Image",
  "FactSet",
  "Container",
  "ColumnSet",
  "Column",
  "ActionSet",
  "Table",
  "TableRow",
  "TableCell",
  "Input.Text",
  "Input.Number",
  "Input.Date",
  "Input.Time",
  "Input.Toggle",
  "Input.ChoiceSet",
]);
export const TEAMS_ACTIONS = new Set([
  "Action.Execute",
  "Action.Submit",
  "Action.OpenUrl",
  "Action.ShowCard",
  "Action.ToggleVisibility",
]);

/** Teams refuses a message larger than about 28 KB. */
export const TEAMS_MAX_BYTES = 28 * 1024;

/**
 * Problems with a card, empty when it is good: not version 1.5, a type Teams does not draw, too
 * big, or anything the Adaptive Cards reference library (parsing for 1.5) objects to.
 */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const c = card as AdaptiveCard;
  if (c.type !== "AdaptiveCard") problems.push(`type is ${String(c.type)}`);
  if (c.version !== "1.5") problems.push(`version is ${String(c.version)}`);
  if (!c.fallbackText) problems.push("no fallbackText");
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > TEAMS_MAX_BYTES) problems.push(`${bytes} bytes`);
  const walk = (x: unknown, path: string): void => {
    if (Array.isArray(x)) {
      for (const [i, y] of x.entries()) walk(y, `${path}[${i}]`);
      return;
    }
    if (x === null || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (typeof o.type === "string" && path !== "$" && !path.endsWith(".data")) {
      const ok = o.type.startsWith("Action.") ? TEAMS_ACTIONS.has(o.type) : TEAMS_ELEMENTS.has(o.type);
      if (!ok) problems.push(`${path}: ${o.type} is not drawn by Teams`);
    }
    for (const [k, v] of Object.entries(o)) if (k !== "data") walk(v, `${path}.${k}`);
  };
  walk(card, "$");

  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(`parse: ${ctx.getEventAt(i)!.message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

/** Every action's type, verb and data, with the Action.Submit fallback it carries. */
export function actionsOf(card: AdaptiveCard) {
  return (card.actions ?? []).map((a) => ({
    title: a.title,
    verb: a.verb,
    data: a.data,
    fallback: a.fallback,
  }));
}

/** All the text a card shows, one string: for asserting on what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") out.push(o.text);
      if (typeof o.label === "string") out.push(o.label);
      if (o.type === "FactSet" && Array.isArray(o.facts))
        for (const f of o.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
      for (const [k, v] of Object.entries(o)) if (k !== "fallback" && k !== "facts") walk(v);
    }
  };
  walk(card);
  return out.join("\n");
}

/**
 * Where a card would break a word on a 360 px phone, by the width model of
 * `adapters/teams/render/card-width.ts`: every table cell, fact and line of text against the room
 * its column gets. Empty when the card reads on a phone.
 */
export function phoneProblems(card: unknown): string[] {
  const problems: string[] = [];
  const say = (where: string, s: Squeeze) =>
    problems.push(`${where}: "${s.text}" needs ${Math.round(s.need)} px, has ${Math.round(s.room)} px`);
  const walk = (x: unknown, path: string): void => {
    if (Array.isArray(x)) {
      for (const [i, y] of x.entries()) walk(y, `${path}[${i}]`);
      return;
    }
    if (x === null || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.type === "Table") {
      const t = o as unknown as Table;
      const rows = t.rows.map((r) => r.cells.map((c) => c.items.map((i) => i.text).join(" ")));
      for (const s of tableSqueezes(
        rows,
        t.columns.map((c) => c.width),
      ))
        say(`${path} column ${s.column}`, s);
      return;
    }
    if (o.type === "FactSet") {
      for (const s of factSqueezes((o as unknown as FactSet).facts)) say(`${path} fact`, s);
      return;
    }
    if (o.type === "TextBlock" && typeof o.text === "string") {
      const size = (o.size as TextSize | undefined) ?? "Default";
      const need = longestPiecePx(o.text.replace(/\*\*/g, ""), size, o.weight === "Bolder");
      if (need > PHONE_CARD_PX) say(path, { column: 0, room: PHONE_CARD_PX, text: o.text, need });
    }
    for (const [k, v] of Object.entries(o)) if (k !== "fallback" && k !== "data") walk(v, `${path}.${k}`);
  };
  walk((card as { body?: unknown }).body, "$.body");
  return problems;
}
